package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Metrics;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client's mistakes get documented error frames or close codes; the node keeps serving that client
 * (where it can) and everyone else.
 */
@ExtendWith(ArquillianExtension.class)
class BadInputIT {

    private static final Node NODE = Node.underTest();

    @Deployment(testable = false)
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "this is not json                                               | BAD_JSON",
        "{\"type\":\"ping\"} trailing                                   | BAD_JSON",
        "[\"subscribe\",\"news\"]                                       | BAD_FRAME",
        "{\"channel\":\"news\"}                                         | BAD_FRAME",
        "{\"type\":\"teleport\",\"id\":\"x\"}                           | UNKNOWN_TYPE",
        "{\"type\":\"subscribe\",\"id\":\"x\"}                          | MISSING_FIELD",
        "{\"type\":\"publish\",\"channel\":\"news\",\"id\":\"x\"}       | MISSING_FIELD",
        "{\"type\":\"subscribe\",\"channel\":42,\"id\":\"x\"}           | INVALID_FIELD",
        "{\"type\":\"subscribe\",\"channel\":\"../etc\",\"id\":\"x\"}   | INVALID_CHANNEL",
        "{\"type\":\"subscribe\",\"channel\":\"secret\",\"id\":\"x\"}   | UNKNOWN_CHANNEL",
        "{\"type\":\"publish\",\"channel\":\"nowhere\",\"data\":1,\"id\":\"x\"} | UNKNOWN_CHANNEL",
        "{\"type\":\"publish\",\"channel\":\"room.x\",\"data\":1,\"idempotencyKey\":\"a b\",\"id\":\"x\"} | INVALID_FIELD",
        "{\"type\":\"publish\",\"channel\":\"room.x\",\"data\":1,\"idempotencyKey\":42,\"id\":\"x\"} | INVALID_FIELD",
    })
    void malformedFramesGetAnErrorFrameAndTheConnectionStays(String frame, String code) {
        try (WsClient mallory = WsClient.connect(NODE, "mallory"); WsClient bystander = WsClient.connect(NODE, "bystander").subscribe("news")) {
            mallory.send(frame.strip());
            JsonObject error = mallory.await(f -> "error".equals(f.getString("type")), "error frame");
            assertEquals(code, error.getString("code"), error::toString);
            assertFalse(error.getString("message").isBlank());
            if (frame.contains("\"id\":\"x\"")) {
                assertEquals("x", error.getString("ref"), "the error names the request it answers");
            }
            assertEquals("pong", mallory.request("after", "{\"type\":\"ping\",\"id\":\"after\"}").getString("type"));
            assertBystanderStillServed(bystander);
        }
    }

    @Test
    void connectionsWithoutAValidUserAreRefusedWithPolicyViolation() {
        for (String user : new String[] {null, "not a user id"}) {
            try (WsClient anonymous = WsClient.connect(NODE, user)) {
                assertEquals(1008, anonymous.awaitClose());
                assertTrue(anonymous.closeReason().contains("user"), anonymous.closeReason());
            }
        }
    }

    @Test
    void binaryFramesGetUnsupportedData() {
        try (WsClient client = WsClient.connect(NODE, "binary")) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals("UNSUPPORTED_DATA", client.await(f -> "error".equals(f.getString("type")), "error").getString("code"));
            assertEquals("pong", client.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"));
        }
    }

    @Test
    void framesOverTheConfiguredMaximumGetMessageTooLarge() {
        try (WsClient client = WsClient.connect(NODE, "big"); WsClient bystander = WsClient.connect(NODE, "bystander").subscribe("news")) {
            String data = "x".repeat(70_000); // default maximum: 64 KiB
            client.send("{\"type\":\"publish\",\"channel\":\"news\",\"data\":\"" + data + "\",\"id\":\"big\"}");
            JsonObject error = client.await(f -> "error".equals(f.getString("type")), "error");
            assertEquals("MESSAGE_TOO_LARGE", error.getString("code"));
            assertEquals("pong", client.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"));
            assertBystanderStillServed(bystander);
            assertFalse(bystander.seen().stream().anyMatch(f -> f.toString().contains(data)), "nothing oversized was delivered");
        }
    }

    @Test
    void messagesFarBeyondTheLimitGetTheSameErrorAndOthersAreUnaffected() {
        try (WsClient client = WsClient.connect(NODE, "huge"); WsClient bystander = WsClient.connect(NODE, "bystander").subscribe("news")) {
            // The JDK client sends this in fragments; the node drops them as they come, never holding more than the limit.
            client.send("{\"type\":\"publish\",\"channel\":\"news\",\"data\":\"" + "x".repeat(5_000_000) + "\"}");
            JsonObject error = client.await(f -> "error".equals(f.getString("type")), "error");
            assertEquals("MESSAGE_TOO_LARGE", error.getString("code"));
            assertEquals("pong", client.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"));
            assertBystanderStillServed(bystander);
        }
    }

    @Test
    void subscriptionsPerConnectionAreCapped() {
        try (WsClient client = WsClient.connect(NODE, "greedy")) {
            for (int i = 0; i < 100; i++) {
                client.subscribe("room.cap" + i);
            }
            JsonObject refused = client.request("over", "{\"type\":\"subscribe\",\"channel\":\"room.cap100\",\"id\":\"over\"}");
            assertEquals("TOO_MANY_SUBSCRIPTIONS", refused.getString("code"));
            assertEquals("subscribed", client.request("again", "{\"type\":\"subscribe\",\"channel\":\"room.cap0\",\"id\":\"again\"}")
                    .getString("type"), "re-subscribing to a channel it holds is not a new subscription");
        }
    }

    @Test
    void floodsAreRateLimitedAndEveryRequestStillGetsOneReply() {
        try (WsClient flooder = WsClient.connect(NODE, "flooder"); WsClient bystander = WsClient.connect(NODE, "bystander").subscribe("news")) {
            int frames = 2_500; // default limit: 1,000 frames/s, bursts of 1,000
            for (int i = 0; i < frames; i++) {
                flooder.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            flooder.await(f -> f.getInt("id", f.getInt("ref", -1)) == frames - 1, "reply to the last frame");
            List<JsonObject> replies = flooder.seen();
            long limited = replies.stream().filter(f -> "RATE_LIMITED".equals(f.getString("code", null))).count();
            assertTrue(limited > 0, "a flood of " + frames + " frames must hit the limit");
            assertEquals(frames, replies.size(), "one reply per request, pong or RATE_LIMITED");
            assertBystanderStillServed(bystander);
        }
    }

    /** Over plain sockets and over TLS that the node terminates itself: the cut after the close is the same. */
    @ParameterizedTest
    @CsvSource({"ws", "wss"})
    void aClientThatStopsReadingIsClosedAsSlowConsumerWhileOthersGetEverything(String scheme) {
        URI stalledAt = scheme.equals("ws") ? NODE.wsUri("stalled")
                : URI.create("wss://127.0.0.1:" + Integer.getInteger("it.https.port") + "/ws?user=stalled");
        try (WsClient stalled = WsClient.connectWithoutReading(stalledAt);
             WsClient healthy = WsClient.connect(NODE, "healthy").subscribe("room.slow")) {
            Metrics before = Metrics.scrape(NODE);
            stalled.send("{\"type\":\"subscribe\",\"channel\":\"room.slow\"}");
            awaitLocalSubscribers("room.slow", 2);
            String payload = "\"" + "y".repeat(16_000) + "\"";
            String lastId = null;
            int published = 0;
            // Bounded: the tests' queue holds 128 frames; socket buffers on loopback hold a few MB more.
            while (published < 5_000 && localSubscribers("room.slow") == 2) {
                for (int i = 0; i < 50; i++, published++) {
                    lastId = Node.json(NODE.postJson("/api/channels/room.slow/messages", payload)).getString("id");
                }
            }
            assertEquals(1, localSubscribers("room.slow"), "the stalled client was dropped after " + published + " messages");
            healthy.awaitMessage(lastId);
            long delivered = healthy.seen().stream().filter(f -> "message".equals(f.getString("type"))).count();
            assertEquals(published, delivered, "the healthy subscriber lost nothing");

            // The server's own account: it closed the client with 4001 and discarded its queued frames.
            Metrics after = Metrics.scrape(NODE);
            assertTrue(after.value("wscluster_messages_dropped_total{reason=\"slow-consumer\"}")
                    > before.value("wscluster_messages_dropped_total{reason=\"slow-consumer\"}"), "frames dropped with the slow consumer");
            assertTrue(after.value("wscluster_connections_closed_total{code=\"4001\"}")
                    > before.value("wscluster_connections_closed_total{code=\"4001\"}"), "closed with 4001");
            // It never reads the close frame, so a graceful close would never end: the node cuts its
            // transport a few seconds later, and the client's next write meets a reset.
            Await.until(Duration.ofSeconds(20), () -> !stalled.trySend("{\"type\":\"ping\"}"), () -> "the stalled client's socket is still open on the node");
        }
    }

    private static int localSubscribers(String channel) {
        return Node.json(NODE.get("/api/channels")).getJsonArray("active").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(channel)).mapToInt(c -> c.getInt("localSubscribers")).findFirst().orElse(0);
    }

    private static void awaitLocalSubscribers(String channel, int expected) {
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (localSubscribers(channel) != expected) {
            assertTrue(System.nanoTime() < deadline, "expected " + expected + " subscribers of " + channel);
            Thread.onSpinWait();
        }
    }

    private static void assertBystanderStillServed(WsClient bystander) {
        String id = Node.json(NODE.postJson("/api/channels/news/messages", "\"still here\"")).getString("id");
        assertEquals("still here", bystander.awaitMessage(id).getString("data"));
    }
}
