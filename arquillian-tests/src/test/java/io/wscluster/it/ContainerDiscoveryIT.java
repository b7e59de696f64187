package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.Tokens;
import io.wscluster.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node image (deploy/Containerfile) as Kubernetes would run it: three containers on an internal podman
 * network of the test's own (10.79.0.0/24, no route out) share one network alias, wscluster-ping, which
 * resolves to all of them as a headless service does, and form one cluster through that name alone: the
 * registry (JGroups, DNS_PING) lists the three READY, and a message published on one reaches a subscriber on
 * another (Hazelcast, Payara's dns: cluster mode, carries it). A fourth container started later joins
 * through the same name. The image is built FROM a JRE base made here from Debian's packages (mmdebstrap),
 * kept between runs under its tag. Needs root and podman; skipped otherwise. Containers, network and the
 * test's image are removed afterwards, also after a failure; each container's log is kept in
 * target/container-logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerDiscoveryIT {

    private static final String BASE = "localhost/wscluster-jre:17";
    private static final String IMAGE = "localhost/wscluster-it:latest";
    private static final String NETWORK = "wsit-net";
    private static final String SUBNET = "10.79.0.0/24";
    private static final String ALIAS = "wscluster-ping";
    private static final Duration START = Duration.ofMinutes(4);
    private static final Path CONF = Path.of("target", "containers.conf").toAbsolutePath();
    private static final Path LOGS = Path.of("target", "container-logs").toAbsolutePath();
    /**
     * HTTP/1.1, no h2c upgrade: in two of three runs the first request to a container's node, a POST that the
     * JDK's client offered to upgrade to HTTP/2, got an empty 500 logged nowhere (not understood yet).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private static final List<String> started = new ArrayList<>();

    @BeforeAll
    static void imageAndNetwork() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (podman networks)");
        Assumptions.assumeTrue(run(Duration.ofSeconds(30), "podman", "--version").exit == 0, "needs podman");
        // Debian's podman with runc: no default ulimits (the runtime may not raise them here).
        Files.createDirectories(CONF.getParent());
        Files.writeString(CONF, "[containers]\ndefault_ulimits = []\n");
        removeLeftovers();
        if (podman(Duration.ofSeconds(30), "image", "exists", BASE).exit != 0) {
            Path tar = Path.of("target", "jre-base.tar").toAbsolutePath();
            Result made = run(Duration.ofMinutes(10), "mmdebstrap", "--variant=apt", "--include=openjdk-17-jre-headless,hostname",
                    "bookworm", tar.toString());
            assertEquals(0, made.exit, made.output);
            Result imported = podman(Duration.ofMinutes(5), "import", tar.toString(), BASE);
            assertEquals(0, imported.exit, imported.output);
            Files.deleteIfExists(tar);
        }
        Path script = Path.of("..", "deploy", "build-image.sh").toAbsolutePath().normalize();
        Result built = run(Duration.ofMinutes(10), List.of("bash", script.toString(), BASE, IMAGE), podmanEnvironment());
        assertEquals(0, built.exit, built.output);
        Result network = podman(Duration.ofSeconds(60), "network", "create", "--internal", "--subnet", SUBNET, NETWORK);
        assertEquals(0, network.exit, network.output);
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || run(Duration.ofSeconds(30), "podman", "--version").exit != 0) {
            return;
        }
        Files.createDirectories(LOGS);
        for (String name : started) {
            Files.writeString(LOGS.resolve(name + ".log"), podman(Duration.ofSeconds(30), "logs", name).output);
        }
        removeLeftovers();
        podman(Duration.ofSeconds(60), "rmi", "-f", IMAGE);
    }

    @Test
    @Order(1)
    void threeContainersFormOneClusterThroughOneDnsName() throws Exception {
        for (int i = 1; i <= 3; i++) {
            startNode(i);
        }
        // Each node asked itself: a node is READY in the registry a moment before its web module answers
        // (HAProxy's and Kubernetes' probes ask the node itself for the same reason).
        Await.until(START, () -> readyNodes(1).size() == 3 && readyNodes(2).size() == 3 && readyNodes(3).size() == 3,
                () -> "every node sees the three READY through the name alone: " + quietly(() -> readyNodes(1)));
        assertDelivered(2, 1);
        assertDelivered(1, 3);
    }

    @Test
    @Order(2)
    void aFourthContainerJoinsThroughTheSameName() throws Exception {
        startNode(4);
        Await.until(START, () -> readyNodes(1).size() == 4 && readyNodes(4).size() == 4,
                () -> "the fourth joined: " + quietly(() -> readyNodes(1)) + " / " + quietly(() -> readyNodes(4)));
        assertDelivered(4, 1);
        assertDelivered(2, 4);
    }

    /** A message published over REST on node {@code from} reaches a subscriber on node {@code to}. */
    private static void assertDelivered(int from, int to) throws Exception {
        URI socket = URI.create("ws://" + address(to) + ":8080/ws");
        try (WsClient subscriber = WsClient.connect(socket)) {
            JsonObject connected = subscriber.request("c", "{\"type\":\"connect\",\"token\":\"" + Tokens.hs256("carol", Duration.ofHours(1))
                    + "\",\"id\":\"c\"}");
            assertEquals("connected", connected.getString("type"), connected::toString);
            // A channel without history: what crosses is the clustered CDI event (Hazelcast), the membership under test.
            subscriber.subscribe("room.discovery");
            HttpRequest publish = HttpRequest.newBuilder(URI.create("http://" + address(from) + ":8080/api/channels/room.discovery/messages"))
                    .header("Authorization", "Bearer " + Node.API_KEY).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "discovery-" + from + "-" + to).POST(HttpRequest.BodyPublishers.ofString("{\"from\":" + from + "}")).build();
            HttpResponse<String> published = HTTP.send(publish, HttpResponse.BodyHandlers.ofString());
            assertEquals(202, published.statusCode(), () -> "node " + from + ": " + published.body());
            String id = Json.createReader(new StringReader(published.body())).readObject().getString("id");
            assertEquals(from, subscriber.awaitMessage(id).getJsonObject("data").getInt("from"));
        }
    }

    private static void startNode(int i) throws Exception {
        String name = "wsit-c" + i;
        started.add(name);
        Result run = podman(Duration.ofMinutes(2), "run", "-d", "--name", name, "--hostname", name, "--network", NETWORK,
                "--network-alias", ALIAS, "--ip", address(i), "--ulimit", "host",
                "-e", "WSCLUSTER_DISCOVERY=" + ALIAS, "-e", "WSCLUSTER_HEAP=320m",
                "-e", "WSCLUSTER_AUTH_HMAC_SECRET=" + Node.HMAC_SECRET, "-e", "WSCLUSTER_API_KEYS=" + Node.API_KEY,
                "-e", "WSCLUSTER_ADMIN_TOKEN=" + Node.ADMIN_TOKEN, IMAGE);
        assertEquals(0, run.exit, run.output);
    }

    /** The node ids node {@code i}'s registry lists as READY; none while it does not answer. */
    private static Set<String> readyNodes(int i) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address(i) + ":8080/api/cluster/nodes"))
                    .header("Authorization", "Bearer " + Node.ADMIN_TOKEN).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
        Set<String> ready = new TreeSet<>();
        if (response.statusCode() == 200) {
            JsonArray nodes = Json.createReader(new StringReader(response.body())).readArray();
            nodes.forEach(n -> {
                if ("READY".equals(n.asJsonObject().getString("state"))) {
                    ready.add(n.asJsonObject().getString("id"));
                }
            });
        }
        return ready;
    }

    private static String address(int i) {
        return "10.79.0." + (10 + i);
    }

    private static void removeLeftovers() throws Exception {
        for (int i = 1; i <= 4; i++) {
            podman(Duration.ofSeconds(60), "rm", "-f", "-t", "2", "wsit-c" + i);
        }
        podman(Duration.ofSeconds(60), "network", "rm", "-f", NETWORK);
    }

    private interface Check {
        Object get() throws Exception;
    }

    private static Object quietly(Check check) {
        try {
            return check.get();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private record Result(int exit, String output) {
    }

    private static java.util.Map<String, String> podmanEnvironment() {
        return java.util.Map.of("CONTAINERS_CONF", CONF.toString(), "WSCLUSTER_PODMAN", "podman --runtime runc --cgroup-manager=cgroupfs");
    }

    private static Result podman(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager=cgroupfs"));
        command.addAll(List.of(args));
        return run(timeout, command, podmanEnvironment());
    }

    private static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command), java.util.Map.of());
    }

    private static Result run(Duration timeout, List<String> command, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        Path output = Files.createTempFile("wsit-podman", ".log");
        Thread reader = new Thread(() -> {
            try {
                Files.write(output, process.getInputStream().readAllBytes());
            } catch (IOException ignored) {
                // the process's output is only for messages
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        return new Result(process.isAlive() ? -1 : process.exitValue(), String.join(" ", command) + "\n" + text);
    }
}
