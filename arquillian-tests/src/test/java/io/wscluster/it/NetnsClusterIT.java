package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Node;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes as separate hosts (payara/netns.sh: a network namespace and address each, HAProxy and the
 * clients in an edge namespace, the hosts JGroups stack): the load tool delivers across them through
 * HAProxy with nothing lost. Then, with the tool's clients subscribed and publishing through HAProxy, one
 * node is cut off (its link down) for longer than failure detection: the majority drops it, it reports not
 * ready (min-members 2), HAProxy stops routing to it, its clients (their sockets dead, found by heartbeat)
 * move and recover what they missed from history; healed, the views merge and the registry holds the three
 * nodes READY again, no ghost. Over the whole run nothing is lost or delivered twice, and once every client
 * has left no node holds a presence entry, also of clients that left during the split.
 * Needs root (namespaces); skipped otherwise. The addresses exist only inside the namespaces it creates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsClusterIT {

    private static final Path SCRIPT = Path.of("..", "payara", "netns.sh").toAbsolutePath().normalize();
    private static final Path TOOL = Path.of("..", "loadtest", "target", "wscluster-loadtest.jar").toAbsolutePath().normalize();
    private static final Path RUN = Path.of("target", "netns-run").toAbsolutePath();
    private static final String PREFIX = "wsit-";
    private static final Duration PARTITION = Duration.ofSeconds(60);
    /** The tool's channels (room.bench.0..2 with uniform:3) keep history and track presence. */
    private static final String CHANNELS = "-Dwscluster.channels=room.bench.*{history=1000;presence},news,alerts,chat.*,room.*";

    @BeforeAll
    static void up() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        script(300, "down"); // anything a killed earlier run left
        assertEquals(0, script(420, "up", "3").exit(), "netns.sh up 3");
    }

    @AfterAll
    static void down() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            // The nodes' and HAProxy's logs outlive the run (down removes the run directory).
            Path logs = Path.of("target", "netns-logs");
            Files.createDirectories(logs);
            for (String log : List.of("node-1/server.log", "node-2/server.log", "node-3/server.log", "lb/haproxy.log")) {
                if (Files.exists(RUN.resolve(log))) {
                    Files.copy(RUN.resolve(log), logs.resolve(log.replace('/', '-')), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            script(120, "down");
        }
    }

    record Result(int exit, String output) {
    }

    private static Result script(long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_NETNS", PREFIX);
        builder.environment().put("WSCLUSTER_RUN_DIR", RUN.toString());
        builder.environment().put("WSCLUSTER_AUTH_HMAC_SECRET", Node.HMAC_SECRET);
        builder.environment().put("WSCLUSTER_API_KEYS", Node.API_KEY);
        builder.environment().put("WSCLUSTER_ADMIN_TOKEN", Node.ADMIN_TOKEN);
        builder.environment().put("WSCLUSTER_LB_MAX_CONN_PER_IP", "100000");
        builder.environment().put("WSCLUSTER_LB_MAX_RATE_PER_IP", "100000");
        // Presence leases of 15 s (renewed every 5 s): a ghost left by the partition expires well within the wait.
        builder.environment().put("WSCLUSTER_JAVA_OPTS", "-Dwscluster.health.min-members=2 -Dwscluster.handshake.max-connections-per-address=0"
                + " -Dwscluster.handshake.max-per-second-per-address=0 -Dwscluster.presence.reconcile-ms=5000 " + CHANNELS);
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
    private static String get(String where, String host, int port, String path, String authorization) throws IOException, InterruptedException {
        return exchange(where, host, port, "GET " + path + " HTTP/1.0\\r\\nHost: " + host + "\\r\\nAuthorization: " + authorization
                + "\\r\\nConnection: close\\r\\n\\r\\n");
    }

    /** A POST of a JSON body with the server API key, from inside a namespace; the whole response, or "" when it fails. */
    private static String post(String where, String host, int port, String path, String json) throws IOException, InterruptedException {
        return exchange(where, host, port, "POST " + path + " HTTP/1.0\\r\\nHost: " + host + "\\r\\nAuthorization: Bearer " + Node.API_KEY
                + "\\r\\nContent-Type: application/json\\r\\nContent-Length: " + json.length() + "\\r\\nConnection: close\\r\\n\\r\\n" + json);
    }

    /** Writes a request (printf escapes) to host:port from inside a namespace and reads the response, 3 s at most. */
    private static String exchange(String where, String host, int port, String request) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ip", "netns", "exec", PREFIX + where, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port + " && printf '" + request + "' >&3 && cat <&3").redirectErrorStream(true).start();
        String response = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return response;
    }

    private static String get(String where, String host, int port, String path) throws IOException, InterruptedException {
        return get(where, host, port, path, "Bearer " + Node.ADMIN_TOKEN);
    }

    private static String body(String response) {
        int at = response.indexOf("\r\n\r\n");
        return at < 0 ? "" : response.substring(at + 4);
    }

    /** Node I's view of the registry: id -> state, from inside the edge namespace. */
    private static Set<String> registry(int i) throws IOException, InterruptedException {
        String body = body(get("edge", "10.77.0." + (10 + i), 8079 + i, "/api/cluster/nodes"));
        if (!body.startsWith("[")) {
            return Set.of();
        }
        return Json.createReader(new StringReader(body)).readArray().getValuesAs(JsonObject.class).stream()
                .map(n -> n.getString("id") + " " + n.getString("state") + " " + n.getString("httpUrl")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A channel's presence as node I answers it (the server API key), from inside the edge namespace. */
    private static String presence(int i, String channel) throws IOException, InterruptedException {
        return body(get("edge", "10.77.0." + (10 + i), 8079 + i, "/api/channels/" + channel + "/presence", "Bearer " + Node.API_KEY));
    }

    private static boolean ready(int i) throws IOException, InterruptedException {
        return get("node-" + i, "10.77.0." + (10 + i), 8079 + i, "/health/ready").startsWith("HTTP/1.1 200");
    }

    /** HAProxy's status of node I's server, from its statistics (the password is in the run's secrets). */
    private static String haproxyStatus(int i) throws IOException, InterruptedException {
        String password = Files.readAllLines(RUN.resolve("secrets.env")).stream().filter(l -> l.startsWith("WSCLUSTER_LB_STATS_PASSWORD="))
                .map(l -> l.substring(l.indexOf('=') + 1)).findFirst().orElseThrow();
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        String csv = body(get("edge", "10.77.0.2", 8404, "/;csv", "Basic " + basic));
        return csv.lines().filter(l -> l.startsWith("nodes,node-" + i + ",")).map(l -> l.split(",")[17]).findFirst().orElse("absent");
    }

    private static final Set<String> THREE_READY = Set.of("node-1 READY http://10.77.0.11:8080", "node-2 READY http://10.77.0.12:8081",
            "node-3 READY http://10.77.0.13:8082");

    /** The load tool in the edge namespace, through HAProxy's entry, publishing over REST; its report goes to target/NAME. */
    private static Process startTool(String name, String... options) throws IOException {
        Path report = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(report);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", PREFIX + "edge",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", TOOL.toString(),
                "--targets=ws://10.77.0.2:8000/ws", "--ramp=100", "--publish-via=rest", "--warmup=2s",
                "--secrets=" + RUN.resolve("secrets.env"), "--report=" + report));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.resolve("tool.log").toFile()).start();
    }

    /** Waits for the tool to stop by itself; its report's summary goes to the test log; returns report.json. */
    private static JsonObject toolReport(Process tool, String name, long seconds) throws Exception {
        Path report = Path.of("target", name).toAbsolutePath();
        assertTrue(tool.waitFor(seconds, TimeUnit.SECONDS), "the tool stops by itself");
        System.out.println("[netns] " + Files.readString(report.resolve("tool.log")).lines().filter(l -> l.startsWith("  ")).collect(Collectors.joining("\n")));
        assertEquals(0, tool.exitValue(), "the tool's exit code");
        try (Reader in = Files.newBufferedReader(report.resolve("report.json"))) {
            return Json.createReader(in).readObject();
        }
    }

    @Test
    @Order(1)
    void threeHostsFormOneClusterAndDeliverThroughHaproxy() throws Exception {
        Await.until(() -> quietly(() -> registry(1).equals(THREE_READY) && registry(3).equals(THREE_READY)),
                () -> "every node sees the three on their own addresses: " + quietly(() -> registry(1)));
        JsonObject messages = toolReport(startTool("netns-load", "--connections=90", "--rate=20", "--duration=6s"), "netns-load", 180)
                .getJsonObject("messages");
        assertTrue(messages.getJsonNumber("expected").longValue() > 5_000, messages::toString);
        assertEquals(0, messages.getJsonNumber("lost").longValue(), messages::toString);
        assertEquals(0, messages.getJsonNumber("duplicates").longValue(), messages::toString);
    }

    @Test
    @Order(2)
    void aCutOffNodeLeavesItsClientsRecoverAndItComesBackWithoutAGhostOrDuplicate() throws Exception {
        // 90 clients on three channels with history and presence, two each, publishing throughout; a
        // 3 s heartbeat finds the sockets the cut leaves open at HAProxy but dead.
        Process tool = startTool("netns-partition", "--connections=90", "--channels=uniform:3", "--subscriptions=2", "--rate=20",
                "--heartbeat=3s", "--duration=150s", "--drain-timeout=20s");
        Path log = Path.of("target", "netns-partition", "tool.log").toAbsolutePath();
        Await.until(Duration.ofSeconds(120), () -> quietly(() -> Files.readString(log).contains("] publish ")), () -> "the tool publishes");
        assertEquals(0, script(30, "cut", "3").exit());
        Await.until(PARTITION, () -> quietly(() -> registry(1).equals(Set.of("node-1 READY http://10.77.0.11:8080", "node-2 READY http://10.77.0.12:8081"))),
                () -> "the majority dropped node-3: " + quietly(() -> registry(1)));
        Await.until(PARTITION, () -> quietly(() -> !ready(3)), () -> "node-3, alone, reports not ready");
        // ... and takes no message into a channel with history: its stream would not be the cluster's.
        String refused = post("node-3", "10.77.0.13", 8082, "/api/channels/room.bench.0/messages", "{\"cut\":true}");
        assertTrue(refused.startsWith("HTTP/1.1 503") && refused.contains("Retry-After:") && refused.contains("UNAVAILABLE"),
                () -> "a publish to the cut-off node is refused as unavailable: " + refused);
        Await.until(PARTITION, () -> quietly(() -> !haproxyStatus(3).startsWith("UP")), () -> "HAProxy stopped routing to node-3");
        assertTrue(quietly(() -> ready(1) && ready(2)), "the majority stays ready");
        assertEquals(0, script(30, "heal", "3").exit());
        Await.until(PARTITION, () -> quietly(() -> registry(1).equals(THREE_READY) && registry(2).equals(THREE_READY) && registry(3).equals(THREE_READY)),
                () -> "the views merged: node-1 " + quietly(() -> registry(1)) + ", node-3 " + quietly(() -> registry(3)));
        Await.until(PARTITION, () -> quietly(() -> ready(3) && haproxyStatus(3).equals("UP")), () -> "node-3 is back in service");

        JsonObject report = toolReport(tool, "netns-partition", 300);
        JsonObject messages = report.getJsonObject("messages");
        assertTrue(messages.getJsonNumber("expected").longValue() > 50_000, messages::toString);
        // node-3's clients (a third) lost their node; the majority's kept theirs: the cut-off node, which
        // still reaches HAProxy's runtime API, must not tell it that the others are gone, nor may a merged
        // view's coordinator act on the registry its side kept during the split.
        JsonObject closes = report.getJsonObject("closes");
        long cutOff = closes.containsKey("1006") ? closes.getJsonNumber("1006").longValue() : 0;
        assertTrue(cutOff > 0 && cutOff < 60, () -> "node-3's clients, and only about them, lost their node: " + closes);
        assertEquals(0, messages.getJsonNumber("unrecovered").longValue(), () -> "every resubscription recovered: " + messages);
        assertEquals(0, messages.getJsonNumber("lost").longValue(), messages::toString);
        assertEquals(0, messages.getJsonNumber("duplicates").longValue(), messages::toString);
        // Every client has left now, some of them from node-3 while it was cut off: no node keeps an entry.
        for (int i = 1; i <= 3; i++) {
            int node = i;
            for (int c = 0; c < 3; c++) {
                String channel = "room.bench." + c;
                Await.until(PARTITION, () -> quietly(() -> presence(node, channel)).contains("\"count\":0,"),
                        () -> "node-" + node + " holds no presence in " + channel + ": " + quietly(() -> presence(node, channel)));
            }
        }
    }

    interface Check<T> {
        T get() throws Exception;
    }

    private static <T> T quietly(Check<T> check) {
        try {
            return check.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
