package io.wscluster.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The runtime-API commands that make an HAProxy backend match the node registry: nodes that joined are
 * added, READY nodes are in service, a DRAINING node is in drain (no new connections, existing ones kept
 * while the node closes them in waves), nodes in any other state (starting) are in maintenance, and nodes
 * gone from the registry are cut off and deleted. An overloaded node keeps a tenth of its weight: new
 * clients go to the others, but never nowhere.
 *
 * <p>Not maintenance for a draining node: with {@code on-marked-down shutdown-sessions} (the default server
 * options, so that a hung node's clients move at once) HAProxy cuts every session of a server that enters
 * maintenance, and a drain would become a reconnect storm. Its health check stays soft for the same
 * reason: {@code /ready} answers 404 while draining, which {@code http-check disable-on-404} takes as
 * "stopping", not down.
 */
final class BackendPlan {

    /** A node's weight in HAProxy (servers are added with it) and while it is overloaded. */
    static final int WEIGHT = 100;
    static final int OVERLOADED_WEIGHT = 10;

    /** What the registry wants of one node's server. */
    record Wanted(String name, String address, int port, boolean ready, boolean overloaded, boolean draining) {

        Wanted(String name, String address, int port, boolean ready, boolean overloaded) {
            this(name, address, port, ready, overloaded, false);
        }

        int weight() {
            return overloaded ? OVERLOADED_WEIGHT : WEIGHT;
        }
    }

    private BackendPlan() {
    }

    /**
     * @param serverOptions the options of added servers, e.g. {@code check inter 500ms fall 2 rise 2}
     *     (dynamic servers do not inherit {@code default-server})
     * @param viewMembers server names of the nodes in the coordinator's view: a member's server is never cut
     *     off for being missing from the registry (after a merge the registry lags the view for a moment, and
     *     the new coordinator's may still be the one its side kept during the split)
     */
    static List<String> commands(String backend, String serverOptions, Set<String> viewMembers, List<Wanted> wanted,
            List<BackendServer> actual) {
        Map<String, BackendServer> present = actual.stream()
                .collect(Collectors.toMap(BackendServer::name, Function.identity(), (a, b) -> a));
        List<String> commands = new ArrayList<>();
        for (Wanted w : wanted) {
            String server = backend + "/" + w.name();
            BackendServer current = present.remove(w.name());
            if (current == null) {
                // A dynamic server starts in maintenance with its checks off.
                commands.add(("add server " + server + " " + w.address() + ":" + w.port() + " " + serverOptions
                        + " weight " + w.weight()).trim());
                if (serverOptions.contains("check")) {
                    commands.add("enable health " + server);
                }
                if (w.ready()) {
                    enable(commands, server, serverOptions);
                }
                continue;
            }
            if (!current.address().equals(w.address()) || current.port() != w.port()) {
                commands.add("set server " + server + " addr " + w.address() + " port " + w.port());
            }
            if (current.weight() >= 0 && current.weight() != w.weight()) {
                commands.add("set server " + server + " weight " + w.weight());
            }
            if (w.ready()) {
                if (current.maintenance() || current.draining()) {
                    enable(commands, server, serverOptions);
                }
            } else if (w.draining()) {
                if (!current.draining() && !current.maintenance()) {
                    commands.add("set server " + server + " state drain");
                }
            } else if (!current.maintenance()) {
                commands.add("set server " + server + " state maint");
            }
        }
        for (BackendServer gone : present.values()) {
            if (viewMembers.contains(gone.name())) {
                continue; // alive in the view, not yet (again) in the registry: leave it as it is
            }
            String server = backend + "/" + gone.name();
            if (!gone.maintenance()) {
                commands.add("set server " + server + " state maint");
            }
            // Clients still attached to a hung node are cut off so they reconnect now, not when their heartbeat notices.
            commands.add("shutdown sessions server " + server);
            commands.add("del server " + server);
        }
        return commands;
    }

    /**
     * Takes a server out of maintenance. A server leaving maintenance counts as up at once; with checks it
     * is marked down first, so it gets traffic only after its health checks pass (a node is READY in the
     * registry a moment before its web module answers).
     */
    private static void enable(List<String> commands, String server, String serverOptions) {
        commands.add("set server " + server + " state ready");
        if (serverOptions.contains("check")) {
            commands.add("set server " + server + " health down");
        }
    }

    /** A node id as an HAProxy server name (letters, digits, {@code - _ . :}). */
    static String serverName(String nodeId) {
        return nodeId.replaceAll("[^A-Za-z0-9_.:-]", "_");
    }
}
