package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.publisher.PublishServlet;
import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.IntStream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's run command: payara/cluster.sh brings up a node on loopback that serves clients, and stops it.
 * The node starts while its cluster (JGroups) port is taken, so it must retry its join until the port is free.
 * It deploys another application beside the WAR (WSCLUSTER_DEPLOY) with the broadcast API jar on the shared
 * class path (WSCLUSTER_ADDLIBS), which publishes through the EJB.
 */
class LaunchScriptIT {

    private static final int JGROUPS_PORT = 17850;
    private static final ClusterScript SCRIPT = new ClusterScript("script-run", 18180, 16950, JGROUPS_PORT);
    private static final Node NODE = SCRIPT.node(1);
    private static String serverLogAtStart;

    @BeforeAll
    static void up() throws Exception {
        // Only the servlet: BroadcastService and its exception come from the shared class loader.
        Path publisher = Path.of("target", "script-apps", "publisher.war").toAbsolutePath();
        Files.createDirectories(publisher.getParent());
        ShrinkWrap.create(WebArchive.class, "publisher.war").addClass(PublishServlet.class).as(ZipExporter.class).exportTo(publisher.toFile(), true);
        SCRIPT.with("WSCLUSTER_DEPLOY", publisher.toString())
                .with("WSCLUSTER_ADDLIBS", Path.of("..", "payara", "target", "wscluster-api.jar").toAbsolutePath().normalize().toString());
        CompletableFuture<String> up;
        try (ServerSocket squatter = new ServerSocket(JGROUPS_PORT, 50, InetAddress.getLoopbackAddress())) {
            up = CompletableFuture.supplyAsync(() -> {
                try {
                    return SCRIPT.run("up", "1");
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            Path log = SCRIPT.runDir().resolve("node-1/server.log");
            Await.until(Duration.ofSeconds(180), () -> read(log).contains("Could not join the cluster"),
                    () -> "the node reports its failed join: " + up);
        }
        String output = up.get(300, TimeUnit.SECONDS);
        assertTrue(output.contains("1 node(s) ready"), output);
        serverLogAtStart = read(SCRIPT.runDir().resolve("node-1/server.log"));
    }

    @AfterAll
    static void down() throws Exception {
        SCRIPT.run("down");
        assertFalse(Files.exists(SCRIPT.runDir().resolve("node-1")), "down removes the node's directory");
    }

    /** It warms up all the same (the warm-up needs only the node itself), so its first clients find it warm. */
    @Test
    void aNodeThatCannotJoinAtStartRetriesUntilItCanAndWarmsUpMeanwhile() {
        assertTrue(serverLogAtStart.contains("Registered again after being disconnected"), serverLogAtStart);
        Matcher warmed = WarmupIT.WARMED.matcher(serverLogAtStart);
        assertTrue(warmed.find(), "no warm-up logged: " + serverLogAtStart);
        assertTrue(Integer.parseInt(warmed.group(2)) > 0 && warmed.group(4).equals(warmed.group(5)), warmed.group());
        assertFalse(serverLogAtStart.contains("READY without a warm-up") || serverLogAtStart.contains("The warm-up stopped"), serverLogAtStart);
    }

    @Test
    void nodeIsReadyAndDeliversBetweenTwoClients() {
        assertEquals(200, NODE.get("/health/ready").statusCode());
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("chat.script");
             WsClient bob = WsClient.connect(NODE, "bob").subscribe("chat.script")) {
            String id = alice.request("p", "{\"type\":\"publish\",\"channel\":\"chat.script\",\"data\":\"hello\",\"id\":\"p\"}")
                    .getString("messageId");
            assertEquals("hello", bob.awaitMessage(id).getString("data"));
            assertEquals("hello", alice.awaitMessage(id).getString("data"));
        }
    }

    @Test
    void anApplicationDeployedBesideTheWarPublishesThroughTheBroadcastEjb() {
        try (WsClient carol = WsClient.connect(NODE, "carol").subscribe("news")) {
            HttpResponse<String> published = NODE.get("/publisher/publish?channel=news&data=" + URLEncoder.encode("\"from beside\"", StandardCharsets.UTF_8));
            assertEquals(200, published.statusCode(), published::body);
            assertEquals("from beside", carol.awaitMessage(published.body()).getString("data"));
        }
    }

    /**
     * Each connection's handshake request and response are emptied while it is open (RetainedExchange) and
     * go back to the container's pools when it closes: the HTTP requests they serve next must see their own
     * headers and query parameters.
     */
    @Test
    void aConnectionsReleasedHandshakeServesHttpAgainOnceClosed() {
        for (int round = 0; round < 3; round++) {
            List<WsClient> clients = IntStream.range(0, 20)
                    .mapToObj(i -> WsClient.connect(NODE, "reuse-" + i).subscribe("chat.reuse")).toList();
            String key = "reuse-" + round;
            JsonObject published = Node.json(NODE.postJson("/api/channels/chat.reuse/messages", "\"" + key + "\"", key));
            clients.forEach(client -> client.awaitMessage(published.getString("id")));
            clients.forEach(WsClient::close);
            for (int i = 0; i < 20; i++) {
                assertEquals(published, Node.json(NODE.postJson("/api/channels/chat.reuse/messages", "\"again\"", key)),
                        "a repeat with the same Idempotency-Key header gets the first's reply");
                JsonArray latest = Node.json(NODE.get("/api/channels/chat.reuse/history?limit=1")).getJsonArray("messages");
                assertEquals(1, latest.size(), "the limit query parameter is read: " + latest);
                assertEquals(published.getString("id"), latest.getJsonObject(0).getString("id"));
            }
        }
        String log = read(SCRIPT.runDir().resolve("node-1/server.log"));
        assertFalse(log.contains("of the handshake;") || log.contains("Cannot reach"), "the container's internals were reached");
    }

    @Test
    void statusReportsTheNodeReady() throws Exception {
        String status = SCRIPT.run("status");
        assertTrue(status.contains("node-1  pid") && status.contains("ready"), status);
    }

    @Test
    void everyListeningSocketIsOnLoopback() throws Exception {
        String pid = Long.toString(SCRIPT.pid(1));
        List<String> listeners = SCRIPT.exec(List.of("ss", "-Hltnp")).lines().filter(l -> l.contains("pid=" + pid + ",")).toList();
        assertFalse(listeners.isEmpty(), "the node listens somewhere");
        for (String listener : listeners) {
            String local = listener.trim().split("\\s+")[3];
            assertTrue(local.startsWith("127.0.0.1:"), "listening beyond loopback: " + listener);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
