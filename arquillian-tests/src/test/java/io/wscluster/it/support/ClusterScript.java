package io.wscluster.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * payara/cluster.sh as the README uses it, with its own run directory and ports so tests never meet a
 * developer's cluster. HAProxy listens on the first HTTP port + 10 (ws/http), + 11 (wss/https) and + 12 (stats).
 */
public final class ClusterScript {

    private static final Path SCRIPT = Path.of("..", "payara", "cluster.sh").toAbsolutePath().normalize();
    /** HAProxy's statistics password for the test clusters (cluster.sh would generate one). */
    static final String STATS_PASSWORD = "it-stats-password";

    private final Path runDir;
    private final int httpPort;
    private final int hazelcastPort;
    private final int jgroupsPort;
    private volatile String javaOptions;
    private final Map<String, String> environment = new java.util.concurrent.ConcurrentHashMap<>();

    public ClusterScript(String name, int httpPort, int hazelcastPort, int jgroupsPort) {
        this(name, httpPort, hazelcastPort, jgroupsPort, "");
    }

    /** @param javaOptions extra JVM options for every node (WSCLUSTER_JAVA_OPTS), e.g. configuration keys */
    public ClusterScript(String name, int httpPort, int hazelcastPort, int jgroupsPort, String javaOptions) {
        this.runDir = Path.of("target", name).toAbsolutePath();
        this.httpPort = httpPort;
        this.hazelcastPort = hazelcastPort;
        this.jgroupsPort = jgroupsPort;
        this.javaOptions = javaOptions;
    }

    /** Replaces the extra JVM options for the nodes later runs start (a roll applying new configuration); returns this. */
    public ClusterScript withJavaOptions(String options) {
        this.javaOptions = options;
        return this;
    }

    /** Sets an environment variable for every later run of the script (WSCLUSTER_DEPLOY, say); returns this. */
    public ClusterScript with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs {@code cluster.sh args...}; fails the test if it exits non-zero or runs past 300 s. */
    public String run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(300), args);
    }

    /** Runs {@code cluster.sh args...}; fails the test if it exits non-zero or runs past {@code timeout}. */
    public String run(Duration timeout, String... args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("down")) {
            keepNodeLogs();
        }
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return exec(command, timeout);
    }

    /**
     * Copies each node's server.log to {@code target/NAME-logs} before {@code down} removes the node
     * directories, so a failed run can be read afterwards (CI keeps target/).
     */
    private void keepNodeLogs() throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        Path kept = runDir.resolveSibling(runDir.getFileName() + "-logs");
        Files.createDirectories(kept);
        try (var nodes = Files.list(runDir)) {
            for (Path node : nodes.filter(d -> d.getFileName().toString().startsWith("node-")).toList()) {
                Path log = node.resolve("server.log");
                if (Files.exists(log)) {
                    Files.copy(log, kept.resolve(node.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Node {@code i} (from 1), addressed by its HTTP port. */
    public Node node(int i) {
        return Node.atPort(httpPort + i - 1);
    }

    public String nodeId(int i) {
        return "node-" + i;
    }

    public long pid(int i) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve("node-" + i + "/pid")).strip());
    }

    public Path runDir() {
        return runDir;
    }

    /** HAProxy's plain entry, {@code ws://127.0.0.1:PORT/ws} (and http:// for REST). */
    public int entryPort() {
        return httpPort + 10;
    }

    public int tlsEntryPort() {
        return httpPort + 11;
    }

    public int statsPort() {
        return httpPort + 12;
    }

    /** The self-signed certificate cluster.sh generated for HAProxy's wss:// entry. */
    public Path certificate() {
        return runDir.resolve("lb/tls.crt");
    }

    /** HAProxy's servers and their status (UP, DOWN, MAINT...), from its statistics CSV. */
    public Map<String, String> balancerServers() {
        Map<String, String> servers = new TreeMap<>();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + STATS_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String line : Node.atPort(statsPort()).getWithAuthorization("/;csv", basic).body().split("\n")) {
            String[] fields = line.split(",");
            if (fields.length > 17 && fields[0].equals("nodes") && !fields[1].equals("BACKEND") && !fields[1].equals("FRONTEND")) {
                servers.put(fields[1], fields[17]);
            }
        }
        return servers;
    }

    /** Sends a signal (KILL, STOP, CONT) to a node this script started, by its PID. */
    public void signal(int i, String signal) throws IOException, InterruptedException {
        exec(List.of("kill", "-" + signal, Long.toString(pid(i))));
    }

    public String exec(List<String> command) throws IOException, InterruptedException {
        return exec(command, Duration.ofSeconds(300));
    }

    private String exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_RUN_DIR", runDir.toString());
        builder.environment().put("WSCLUSTER_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("WSCLUSTER_HZ_PORT", Integer.toString(hazelcastPort));
        builder.environment().put("WSCLUSTER_JGROUPS_PORT", Integer.toString(jgroupsPort));
        // The test credentials instead of generated ones, the user query parameter as identity (as in the
        // Arquillian nodes) and no limits per client address: every test client is 127.0.0.1.
        builder.environment().put("WSCLUSTER_JAVA_OPTS", "-Dwscluster.auth.user-param=true -Dwscluster.handshake.max-connections-per-address=0"
                + " -Dwscluster.handshake.max-per-second-per-address=0 " + javaOptions);
        builder.environment().put("WSCLUSTER_AUTH_HMAC_SECRET", Node.HMAC_SECRET);
        builder.environment().put("WSCLUSTER_API_KEYS", Node.API_KEY);
        builder.environment().put("WSCLUSTER_ADMIN_TOKEN", Node.ADMIN_TOKEN);
        builder.environment().put("WSCLUSTER_LB_STATS_PASSWORD", STATS_PASSWORD);
        builder.environment().put("WSCLUSTER_LB_MAX_CONN_PER_IP", "100000");
        builder.environment().put("WSCLUSTER_LB_MAX_RATE_PER_IP", "100000");
        builder.environment().put("WSCLUSTER_LB_PORT", Integer.toString(entryPort()));
        builder.environment().put("WSCLUSTER_LB_TLS_PORT", Integer.toString(tlsEntryPort()));
        builder.environment().put("WSCLUSTER_LB_STATS_PORT", Integer.toString(statsPort()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        // The script bounds its own waits (WSCLUSTER_READY_TIMEOUT); this bounds the test.
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + output);
        return output;
    }
}
