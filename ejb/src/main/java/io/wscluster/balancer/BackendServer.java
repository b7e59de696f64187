package io.wscluster.balancer;

import java.util.ArrayList;
import java.util.List;

/**
 * One server of the HAProxy backend as {@code show servers state} reports it.
 *
 * @param maintenance administratively out of service (no new connections; entering it cuts the existing
 *     ones where the server has {@code on-marked-down shutdown-sessions})
 * @param up whether HAProxy's health checks consider it up
 * @param weight its current (user) weight; -1 when the dump does not say
 * @param draining administratively draining: no new connections, the existing ones kept
 */
public record BackendServer(String name, String address, int port, boolean maintenance, boolean up, int weight, boolean draining) {

    /** srv_admin_state bits that mean maintenance: forced, inherited, from the configuration, from DNS resolution. */
    private static final int MAINTENANCE_BITS = 0x01 | 0x02 | 0x04 | 0x20;
    /** srv_admin_state bits that mean drain: forced, inherited. */
    private static final int DRAIN_BITS = 0x08 | 0x10;
    private static final int OP_STATE_RUNNING = 2;

    public BackendServer(String name, String address, int port, boolean maintenance, boolean up, int weight) {
        this(name, address, port, maintenance, up, weight, false);
    }

    /** Parses the answer to {@code show servers state BACKEND}; the header line names the columns. */
    public static List<BackendServer> parse(String answer) {
        List<BackendServer> servers = new ArrayList<>();
        List<String> columns = null;
        for (String line : answer.split("\n")) {
            if (line.startsWith("# ")) {
                columns = List.of(line.substring(2).trim().split(" "));
            } else if (columns != null && !line.isBlank()) {
                String[] fields = line.trim().split(" ");
                if (fields.length < columns.size()) {
                    continue;
                }
                int admin = Integer.parseInt(fields[columns.indexOf("srv_admin_state")]);
                int op = Integer.parseInt(fields[columns.indexOf("srv_op_state")]);
                int weightColumn = columns.indexOf("srv_uweight");
                servers.add(new BackendServer(fields[columns.indexOf("srv_name")], fields[columns.indexOf("srv_addr")],
                        Integer.parseInt(fields[columns.indexOf("srv_port")]), (admin & MAINTENANCE_BITS) != 0,
                        op == OP_STATE_RUNNING, weightColumn < 0 ? -1 : Integer.parseInt(fields[weightColumn]), (admin & DRAIN_BITS) != 0));
            }
        }
        if (columns == null) {
            throw new IllegalArgumentException("not a server state dump: " + answer.lines().findFirst().orElse(""));
        }
        return servers;
    }
}
