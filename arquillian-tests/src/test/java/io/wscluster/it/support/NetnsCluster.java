package io.wscluster.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of separate hosts made by payara/netns.sh (as root): its namespaces (PREFIX...), node I at
 * 10.77.0.(10+I) port 8079+I, HAProxy and the load tool in the edge namespace at 10.77.0.2. Requests to the
 * nodes are made from inside a namespace, as the addresses exist nowhere else. Registered as an extension,
 * it starts before the class's tests (skipping them unless run as root) and is removed after them.
 */
public final class NetnsCluster implements BeforeAllCallback, AfterAllCallback {

    private static final Path SCRIPT = Path.of("..", "payara", "netns.sh").toAbsolutePath().normalize();
    private static final Path TOOL = Path.of("..", "loadtest", "target", "wscluster-loadtest.jar").toAbsolutePath().normalize();
    /** The tool's channels (room.bench.0..2 with uniform:3) keep history and track presence. */
    private static final String CHANNELS = "-Dwscluster.channels=room.bench.*{history=1000;presence},news,alerts,chat.*,room.*";

    private final String prefix;
    private final String name;
    private final Path run;
    private final Map<String, String> environment;
    private final List<String> keptFiles;

    /**
     * A cluster in namespaces PREFIX..., run in target/NAME-run, whose logs (and the run's KEPT files) are kept
     * in target/NAME-logs; environment adds to netns.sh's.
     */
    public NetnsCluster(String prefix, String name, Map<String, String> environment, String... kept) {
        this.prefix = prefix;
        this.name = name;
        this.run = Path.of("target", name + "-run").toAbsolutePath();
        this.environment = environment;
        this.keptFiles = List.of(kept);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(runAsRoot(), "network namespaces need root");
        up();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (runAsRoot()) {
            down();
        }
    }

    private static boolean runAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public Path run() {
        return run;
    }

    /** Removes whatever a killed earlier run left, then starts the namespaces, three nodes and HAProxy. */
    private void up() throws IOException, InterruptedException {
        script(300, "down");
        assertEquals(0, script(420, "up", "3").exit(), "netns.sh up 3");
    }

    /** Keeps the nodes' and HAProxy's logs (they outlive the run directory), then removes everything. */
    private void down() throws IOException, InterruptedException {
        Path kept = Path.of("target", name + "-logs");
        Files.createDirectories(kept);
        List<String> files = new ArrayList<>(List.of("node-1/server.log", "node-2/server.log", "node-3/server.log", "lb/haproxy.log"));
        files.addAll(keptFiles);
        for (String file : files) {
            if (Files.exists(run.resolve(file))) {
                Files.copy(run.resolve(file), kept.resolve(file.replace('/', '-')), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        script(120, "down");
    }

    public record Result(int exit, String output) {
    }

    /** Runs netns.sh with ARGS for this cluster, at most SECONDS; its output goes to the test log too. */
    public Result script(long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_NETNS", prefix);
        builder.environment().put("WSCLUSTER_RUN_DIR", run.toString());
        builder.environment().put("WSCLUSTER_AUTH_HMAC_SECRET", Node.HMAC_SECRET);
        builder.environment().put("WSCLUSTER_API_KEYS", Node.API_KEY);
        builder.environment().put("WSCLUSTER_ADMIN_TOKEN", Node.ADMIN_TOKEN);
        builder.environment().put("WSCLUSTER_LB_MAX_CONN_PER_IP", "100000");
        builder.environment().put("WSCLUSTER_LB_MAX_RATE_PER_IP", "100000");
        // Presence leases of 15 s (renewed every 5 s): a ghost left by a partition expires well within the waits.
        builder.environment().put("WSCLUSTER_JAVA_OPTS", "-Dwscluster.health.min-members=2 -Dwscluster.handshake.max-connections-per-address=0"
                + " -Dwscluster.handshake.max-per-second-per-address=0 -Dwscluster.presence.reconcile-ms=5000 " + CHANNELS);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(Path.of("target"), "netns", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("netns.sh " + String.join(" ", args) + " did not finish: " + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("[netns] " + String.join(" ", args) + "\n" + output);
        return new Result(process.exitValue(), output);
    }

    /** A GET from inside a namespace (edge, node-I) to a host and port there; the whole response, or "" when it fails. */
    public String get(String where, String host, int port, String path, String authorization) throws IOException, InterruptedException {
        return exchange(where, host, port, "GET " + path + " HTTP/1.0\\r\\nHost: " + host + "\\r\\nAuthorization: " + authorization
                + "\\r\\nConnection: close\\r\\n\\r\\n");
    }

    public String get(String where, String host, int port, String path) throws IOException, InterruptedException {
        return get(where, host, port, path, "Bearer " + Node.ADMIN_TOKEN);
    }

    /** A POST of a JSON body with the server API key, from inside a namespace; the whole response, or "" when it fails. */
    public String post(String where, String host, int port, String path, String json) throws IOException, InterruptedException {
        return exchange(where, host, port, "POST " + path + " HTTP/1.0\\r\\nHost: " + host + "\\r\\nAuthorization: Bearer " + Node.API_KEY
                + "\\r\\nContent-Type: application/json\\r\\nContent-Length: " + json.length() + "\\r\\nConnection: close\\r\\n\\r\\n" + json);
    }

    /** Writes a request (printf escapes) to host:port from inside a namespace and reads the response, 3 s at most. */
    private String exchange(String where, String host, int port, String request) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ip", "netns", "exec", prefix + where, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port + " && printf '" + request + "' >&3 && cat <&3").redirectErrorStream(true).start();
        String response = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return response;
    }

    public static String body(String response) {
        int at = response.indexOf("\r\n\r\n");
        return at < 0 ? "" : response.substring(at + 4);
    }

    public static final Set<String> THREE_READY = Set.of("node-1 READY http://10.77.0.11:8080", "node-2 READY http://10.77.0.12:8081",
            "node-3 READY http://10.77.0.13:8082");

    /** Node I's view of the registry: "id state url" per node, from inside the edge namespace. */
    public Set<String> registry(int i) throws IOException, InterruptedException {
        String body = body(get("edge", "10.77.0." + (10 + i), 8079 + i, "/api/cluster/nodes"));
        if (!body.startsWith("[")) {
            return Set.of();
        }
        return Json.createReader(new StringReader(body)).readArray().getValuesAs(JsonObject.class).stream()
                .map(n -> n.getString("id") + " " + n.getString("state") + " " + n.getString("httpUrl")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A channel's presence as node I answers it (the server API key), from inside the edge namespace. */
    public String presence(int i, String channel) throws IOException, InterruptedException {
        return body(get("edge", "10.77.0." + (10 + i), 8079 + i, "/api/channels/" + channel + "/presence", "Bearer " + Node.API_KEY));
    }

    public boolean ready(int i) throws IOException, InterruptedException {
        return get("node-" + i, "10.77.0." + (10 + i), 8079 + i, "/health/ready").startsWith("HTTP/1.1 200");
    }

    /** HAProxy's status of node I's server, from its statistics (the password is in the run's secrets). */
    public String haproxyStatus(int i) throws IOException, InterruptedException {
        String password = Files.readAllLines(run.resolve("secrets.env")).stream().filter(l -> l.startsWith("WSCLUSTER_LB_STATS_PASSWORD="))
                .map(l -> l.substring(l.indexOf('=') + 1)).findFirst().orElseThrow();
        String basic = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        String csv = body(get("edge", "10.77.0.2", 8404, "/;csv", "Basic " + basic));
        return csv.lines().filter(l -> l.startsWith("nodes,node-" + i + ",")).map(l -> l.split(",")[17]).findFirst().orElse("absent");
    }

    /** The load tool in the edge namespace, through HAProxy's entry; its report goes to target/NAME. */
    public Process startTool(String name, String... options) throws IOException {
        Path report = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(report);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "edge",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", TOOL.toString(),
                "--targets=ws://10.77.0.2:8000/ws", "--ramp=100", "--warmup=2s",
                "--secrets=" + run.resolve("secrets.env"), "--report=" + report));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.resolve("tool.log").toFile()).start();
    }

    /** Waits for the tool to stop by itself; its report's summary goes to the test log; returns report.json. */
    public static JsonObject toolReport(Process tool, String name, long seconds) throws IOException, InterruptedException {
        Path report = Path.of("target", name).toAbsolutePath();
        assertTrue(tool.waitFor(seconds, TimeUnit.SECONDS), "the tool stops by itself");
        System.out.println("[netns] " + Files.readString(report.resolve("tool.log")).lines().filter(l -> l.startsWith("  ")).collect(Collectors.joining("\n")));
        assertEquals(0, tool.exitValue(), "the tool's exit code");
        try (Reader in = Files.newBufferedReader(report.resolve("report.json"))) {
            return Json.createReader(in).readObject();
        }
    }

    public interface Check<T> {
        T get() throws Exception;
    }

    /** The value of a check inside a condition; its exception, unchecked. */
    public static <T> T quietly(Check<T> check) {
        try {
            return check.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
