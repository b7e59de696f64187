package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.Priority;
import io.wscluster.hub.DeliveryContract;
import io.wscluster.it.support.Await;
import io.wscluster.it.support.Metrics;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.RawWebSocket;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery contract (the same suite the hub passes in milliseconds with the local-only bus) against
 * three Payara Micro instances, each running the WAR the build produced, over the clustered bus.
 * Publishes go through each node's REST API; clients are raw sockets with a small receive buffer, so one
 * that stops reading backs its frames up on its node at once.
 */
@ExtendWith(ArquillianExtension.class)
class ClusterDeliveryIT extends DeliveryContract {

    private static final List<Node> NODES = List.of(Node.atPort(18081), Node.atPort(18082), Node.atPort(18083));
    private static final JsonProvider JSON = JsonProvider.provider();

    @Deployment(name = "cluster-1", testable = false)
    @TargetsContainer("cluster-1")
    static WebArchive node1() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-2", testable = false)
    @TargetsContainer("cluster-2")
    static WebArchive node2() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-3", testable = false)
    @TargetsContainer("cluster-3")
    static WebArchive node3() {
        return Node.builtWar();
    }

    @Override
    protected Fixture createFixture() {
        for (Node node : NODES) {
            Await.until(() -> node.readyNodeIds().size() == NODES.size(), () -> node + " sees " + node.readyNodeIds());
        }
        return new ClusterFixture();
    }

    // The server API beyond the contract, each with its users on other nodes than the one called.

    @Test
    void refreshMovesTheExpiryOfAUsersConnectionsOnEveryNode() {
        try (RawWebSocket kim = RawWebSocket.connect(NODES.get(2).wsUri("kim"), 0)) {
            long at = System.currentTimeMillis() + 3_000;
            assertEquals(202, NODES.get(0).postJson("/api/users/kim/refresh", "{\"expiresAt\":" + at + "}").statusCode());
            JsonObject refreshed = JSON.createReader(new StringReader(kim.read().text())).readObject();
            assertEquals("refreshed", refreshed.getString("type"), refreshed::toString);
            assertEquals(at, refreshed.getJsonNumber("expiresAt").longValue());
            RawWebSocket.Frame close = kim.readAll(15).stream().filter(f -> f.opcode() == RawWebSocket.CLOSE).findFirst().orElseThrow();
            assertEquals(4004, close.closeCode(), "closed when the moved expiry came");
        }
    }

    @Test
    void channelInfoCountsTheSubscribersOfEveryNode() {
        List<Client> clients = new ArrayList<>();
        Fixture fixture = createFixture();
        try {
            for (int i = 0; i < 5; i++) {
                Client client = fixture.connect(i % NODES.size(), "counted" + i);
                client.subscribe("room.counted");
                clients.add(client);
            }
            for (Client client : clients) {
                Await.until(() -> client.replies().stream().anyMatch(r -> "subscribed".equals(r.getString("type"))), () -> "subscribed");
            }
            JsonObject info = Node.json(NODES.get(1).get("/api/channels/room.counted"));
            assertEquals(5, info.getInt("subscribers"), info::toString);
            JsonObject hist = Node.json(NODES.get(2).get("/api/channels/hist.counted"));
            assertEquals(0, hist.getInt("subscribers"));
            assertTrue(hist.containsKey("stream"), "a channel with history says where its stream stands: " + hist);
            assertEquals(404, NODES.get(0).get("/api/channels/nowhere.counted").statusCode());
        } finally {
            clients.forEach(Client::close);
        }
    }

    @Test
    void aBatchPublishesEachInOrderWithItsOwnResult() {
        Fixture fixture = createFixture();
        try (Client reader = fixture.connect(2, "batchreader")) {
            reader.subscribe("room.batch");
            reader.subscribe("hist.batch");
            Await.until(() -> reader.replies().size() >= 2, () -> "subscribed");
            HttpResponse<String> response = NODES.get(0).postJson("/api/publish/batch", "[{\"channel\":\"room.batch\",\"data\":1},"
                    + "{\"channel\":\"nowhere.batch\",\"data\":2},{\"user\":\"batchreader\",\"data\":3},"
                    + "{\"channel\":\"hist.batch\",\"data\":4},{\"channel\":\"room.batch\",\"data\":5}]");
            assertEquals(200, response.statusCode(), response::body);
            List<JsonObject> results = Node.json(response).getJsonArray("results").getValuesAs(JsonObject.class);
            assertEquals(5, results.size());
            assertEquals("UNKNOWN_CHANNEL", results.get(1).getJsonObject("error").getString("code"), "a partial success shows");
            assertTrue(results.get(3).containsKey("offset"), "a channel with history gives its position: " + results.get(3));
            Await.until(() -> reader.messages().size() >= 4, () -> "got " + reader.messages());
            // In order per channel (a channel with history stores first, so it need not keep pace with the others).
            assertEquals(List.of(1, 5), data(reader, "room.batch"), "room.batch in order, once each");
            assertEquals(List.of(4), data(reader, "hist.batch"));
            assertEquals(List.of(3), reader.messages().stream().filter(m -> m.containsKey("to")).map(m -> m.getInt("data")).toList());
        }
    }

    @Test
    void aBroadcastSendsOneMessageToEachChannel() {
        Fixture fixture = createFixture();
        try (Client one = fixture.connect(1, "castone"); Client two = fixture.connect(2, "casttwo")) {
            one.subscribe("room.cast1");
            two.subscribe("hist.cast2");
            Await.until(() -> !one.replies().isEmpty() && !two.replies().isEmpty(), () -> "subscribed");
            HttpResponse<String> response = NODES.get(0).postJson("/api/broadcast",
                    "{\"channels\":[\"room.cast1\",\"hist.cast2\",\"nowhere.cast3\"],\"data\":{\"all\":true}}");
            List<JsonObject> results = Node.json(response).getJsonArray("results").getValuesAs(JsonObject.class);
            assertEquals(3, results.size(), response::body);
            assertTrue(results.get(0).containsKey("id") && results.get(1).containsKey("offset"), response::body);
            assertEquals("UNKNOWN_CHANNEL", results.get(2).getJsonObject("error").getString("code"));
            Await.until(() -> !one.messages().isEmpty() && !two.messages().isEmpty(), () -> "delivered");
            assertTrue(one.messages().get(0).getJsonObject("data").getBoolean("all"));
        }
    }

    @Test
    void aBanClosesTheUsersConnectionsAndRefusesThemOnEveryNodeUntilItEnds() {
        Fixture fixture = createFixture();
        try (Client victim = fixture.connect(1, "banned")) {
            assertEquals(202, NODES.get(0).postJson("/api/users/banned/disconnect", "{\"banSeconds\":4}").statusCode());
            Await.until(() -> victim.closeCode().isPresent(), () -> "still open");
            assertEquals(4006, victim.closeCode().getAsInt());
        }
        try (RawWebSocket again = RawWebSocket.connect(NODES.get(2).wsUri("banned"), 0)) {
            RawWebSocket.Frame close = again.readAll(10).stream().filter(f -> f.opcode() == RawWebSocket.CLOSE).findFirst()
                    .orElseThrow(() -> new AssertionError("a banned user was let in on another node"));
            assertEquals(4006, close.closeCode());
        }
        Await.until(() -> admitted(fixture, "banned"), () -> "the ban never ended");
    }

    private static List<Integer> data(Client client, String channel) {
        return client.messages().stream().filter(m -> channel.equals(m.getString("channel", null))).map(m -> m.getInt("data")).toList();
    }

    /** Whether a connection of the user opens and stays open past its first ping. */
    private static boolean admitted(Fixture fixture, String user) {
        try (Client client = fixture.connect(0, user)) {
            return client.closeCode().isEmpty();
        } catch (RuntimeException | AssertionError refused) {
            return false;
        }
    }

    static final class ClusterFixture implements Fixture {

        @Override
        public int nodes() {
            return NODES.size();
        }

        @Override
        public Client connect(int node, String user) {
            return new SocketClient(NODES.get(node), RawWebSocket.connect(NODES.get(node).wsUri(user), 8 * 1024));
        }

        @Override
        public String publish(int node, String channel, String json, Priority priority) {
            return id(NODES.get(node).postJson("/api/channels/" + channel + "/messages"
                    + (priority == Priority.HIGH ? "?priority=high" : ""), json));
        }

        @Override
        public String sendToUser(int node, String user, String json) {
            return id(NODES.get(node).postJson("/api/users/" + user + "/messages", json));
        }

        @Override
        public void unsubscribeUser(int node, String user, String channel) {
            accepted(NODES.get(node).postJson("/api/users/" + user + "/unsubscribe", "{\"channel\":\"" + channel + "\"}"));
        }

        @Override
        public void subscribeUser(int node, String user, String channel) {
            accepted(NODES.get(node).postJson("/api/users/" + user + "/subscribe", "{\"channel\":\"" + channel + "\"}"));
        }

        @Override
        public void disconnectUser(int node, String user, int code) {
            accepted(NODES.get(node).postJson("/api/users/" + user + "/disconnect", "{\"code\":" + code + "}"));
        }

        private static void accepted(HttpResponse<String> response) {
            if (response.statusCode() != 202) {
                throw new AssertionError(response.statusCode() + " " + response.body());
            }
        }

        @Override
        public int[] backlog() {
            // 400 x 32 KiB: more than the node's socket send buffer (at most 4 MiB here), Grizzly's write
            // queue and the client's 8 KiB receive window hold; fewer than its outbound queue (1,024 frames).
            return new int[] {400, 32 * 1024};
        }

        @Override
        public Duration patience() {
            return Duration.ofSeconds(60);
        }

        @Override
        public void close() {
        }

        private static String id(HttpResponse<String> response) {
            if (response.statusCode() != 202) {
                throw new AssertionError(response.statusCode() + " " + response.body());
            }
            return Node.json(response).getString("id");
        }
    }

    /** A raw socket client whose reader can be held, so frames back up on the server. */
    static final class SocketClient implements Client {
        private final Node node;
        private final RawWebSocket socket;
        private final List<JsonObject> messages = new ArrayList<>();
        private final List<JsonObject> replies = new ArrayList<>();
        private final Semaphore reading = new Semaphore(1);
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();

        SocketClient(Node node, RawWebSocket socket) {
            this.node = node;
            this.socket = socket;
            if (!socket.upgraded()) {
                throw new AssertionError("handshake: " + socket.handshakeStatus());
            }
            Thread reader = new Thread(this::readLoop, "contract-reader");
            reader.setDaemon(true);
            reader.start();
            request("{\"type\":\"ping\",\"id\":\"hello\"}", "hello"); // the node has registered the connection
        }

        private void readLoop() {
            try {
                while (true) {
                    reading.acquireUninterruptibly(); // held while stalled
                    reading.release();
                    RawWebSocket.Frame frame = socket.read();
                    if (frame.opcode() == RawWebSocket.CLOSE) {
                        closed.complete(frame.closeCode());
                        return;
                    }
                    JsonObject parsed = JSON.createReader(new StringReader(frame.text())).readObject();
                    synchronized (this) {
                        ("message".equals(parsed.getString("type")) ? messages : replies).add(parsed);
                        notifyAll();
                    }
                }
            } catch (RuntimeException e) {
                closed.complete(1006);
            }
        }

        private synchronized void request(String frame, String id) {
            socket.sendText(frame);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (replies.stream().noneMatch(r -> id.equals(r.getString("id", null)))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no reply to " + frame + "; replies " + replies);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void subscribe(String channel) {
            request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":\"s-" + channel + "\"}", "s-" + channel);
        }

        @Override
        public void subscribe(String channel, String epoch, long offset) {
            request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":\"r-" + channel + "\",\"since\":{\"epoch\":\""
                    + epoch + "\",\"offset\":" + offset + "}}", "r-" + channel);
        }

        @Override
        public synchronized List<JsonObject> messages() {
            return List.copyOf(messages);
        }

        @Override
        public synchronized List<JsonObject> replies() {
            return List.copyOf(replies);
        }

        @Override
        public void stall() {
            reading.acquireUninterruptibly();
        }

        @Override
        public void resume() {
            reading.release();
        }

        /** Read from the node's metrics: its outbound queues hold nothing but this client's frames meanwhile. */
        @Override
        public void awaitServerBacklog(int frames) {
            Await.until(() -> Metrics.scrape(node).value("wscluster_outbound_queued") >= frames,
                    () -> node + " queues " + Metrics.scrape(node).value("wscluster_outbound_queued") + " frames");
        }

        @Override
        public OptionalInt closeCode() {
            Integer code = closed.getNow(null);
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
