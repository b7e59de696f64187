package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.wscluster.it.support.DeliveryAssertions.assertNotDelivered;

import io.wscluster.it.support.Metrics;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** Delivery on one node: over the socket and REST, to subscribers only, and to users. */
@ExtendWith(ArquillianExtension.class)
class MessagingIT {

    private static final Node NODE = Node.underTest();

    @Deployment(testable = false)
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    @Test
    void socketPublishReachesEverySubscriberAndOnlyThem() {
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("chat.sock");
             WsClient bob = WsClient.connect(NODE, "bob").subscribe("chat.sock");
             WsClient carol = WsClient.connect(NODE, "carol").subscribe("chat.other")) {
            JsonObject ack = bob.request("p1", "{\"type\":\"publish\",\"channel\":\"chat.sock\",\"data\":{\"text\":\"hi\"},\"id\":\"p1\"}");
            assertEquals("published", ack.getString("type"));
            String messageId = ack.getString("messageId");

            for (WsClient subscriber : new WsClient[] {alice, bob}) {
                JsonObject message = subscriber.awaitMessage(messageId);
                assertEquals("chat.sock", message.getString("channel"));
                assertEquals("hi", message.getJsonObject("data").getString("text"));
                assertTrue(message.getJsonNumber("ts").longValue() > 0);
            }
            assertNotDelivered(NODE, carol, messageId);
        }
    }

    @Test
    void restPublishReachesSubscribersWithTheReturnedId() {
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("news");
             WsClient bob = WsClient.connect(NODE, "bob").subscribe("news");
             WsClient carol = WsClient.connect(NODE, "carol").subscribe("alerts")) {
            HttpResponse<String> response = NODE.postJson("/api/channels/news/messages", "{\"headline\":\"rest\"}");
            assertEquals(202, response.statusCode(), response::body);
            String messageId = Node.json(response).getString("id");

            assertEquals("rest", alice.awaitMessage(messageId).getJsonObject("data").getString("headline"));
            assertEquals("rest", bob.awaitMessage(messageId).getJsonObject("data").getString("headline"));
            assertNotDelivered(NODE, carol, messageId);
        }
    }

    @Test
    void unsubscribedClientsStopReceiving() {
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("room.u")) {
            assertEquals("unsubscribed", alice.request("u1", "{\"type\":\"unsubscribe\",\"channel\":\"room.u\",\"id\":\"u1\"}").getString("type"));
            String first = Node.json(NODE.postJson("/api/channels/room.u/messages", "1")).getString("id");
            alice.subscribe("room.u");
            String second = Node.json(NODE.postJson("/api/channels/room.u/messages", "2")).getString("id");
            alice.awaitMessage(second);
            assertFalse(alice.seen().stream().anyMatch(f -> first.equals(f.getString("id", null))),
                    "a message published while unsubscribed must not arrive");
        }
    }

    @Test
    void userMessagesReachAllOfThatUsersConnectionsOnly() {
        try (WsClient phone = WsClient.connect(NODE, "dora");
             WsClient laptop = WsClient.connect(NODE, "dora");
             WsClient other = WsClient.connect(NODE, "eve")) {
            HttpResponse<String> response = NODE.postJson("/api/users/dora/messages", "\"for dora\"");
            assertEquals(202, response.statusCode(), response::body);
            String messageId = Node.json(response).getString("id");
            for (WsClient connection : new WsClient[] {phone, laptop}) {
                JsonObject message = connection.awaitMessage(messageId);
                assertEquals("dora", message.getString("to"));
                assertEquals("for dora", message.getString("data"));
            }
            String marker = Node.json(NODE.postJson("/api/users/eve/messages", "\"marker\"")).getString("id");
            other.awaitMessage(marker);
            assertFalse(other.seen().stream().anyMatch(f -> messageId.equals(f.getString("id", null))));
        }
    }

    @Test
    void channelListShowsConfigurationAndLocalSubscribers() {
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("room.listed")) {
            JsonObject channels = Node.json(NODE.get("/api/channels"));
            assertTrue(channels.getJsonArray("configured").getValuesAs(jakarta.json.JsonString.class).stream()
                    .anyMatch(s -> s.getString().equals("room.*")), channels::toString);
            assertTrue(channels.getJsonArray("active").getValuesAs(JsonObject.class).stream()
                    .anyMatch(c -> c.getString("name").equals("room.listed") && c.getInt("localSubscribers") == 1),
                    channels::toString);
        }
    }

    @Test
    void clientsThatAskForPermessageDeflateGetItAndMessagesArriveIntact() throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        ClientEndpointConfig deflate = ClientEndpointConfig.Builder.create()
                .extensions(List.of(new PerMessageDeflateExtension())).build();
        Session session = ClientManager.createClient().connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session opened, EndpointConfig config) {
                opened.addMessageHandler(String.class, frames::add);
            }
        }, deflate, NODE.wsUri("zip"));
        try {
            assertEquals(List.of("permessage-deflate"), session.getNegotiatedExtensions().stream().map(Extension::getName).toList());
            session.getBasicRemote().sendText("{\"type\":\"subscribe\",\"channel\":\"news\",\"id\":\"z\"}");
            assertTrue(frames.poll(20, TimeUnit.SECONDS).contains("subscribed"));
            String text = "compressible ".repeat(3_000);
            String id = Node.json(NODE.postJson("/api/channels/news/messages", "{\"text\":\"" + text + "\"}")).getString("id");
            JsonObject message = Json.createReader(new StringReader(frames.poll(20, TimeUnit.SECONDS))).readObject();
            assertEquals(id, message.getString("id"));
            assertEquals(text, message.getJsonObject("data").getString("text"));
        } finally {
            session.close();
        }
    }

    @Test
    void metricsMoveAsTrafficFlows() {
        Metrics before = Metrics.scrape(NODE);
        String lastId;
        try (WsClient client = WsClient.connect(NODE, "metered").subscribe("room.metrics")) {
            for (int i = 0; i < 3; i++) {
                NODE.postJson("/api/channels/room.metrics/messages", Integer.toString(i));
            }
            for (int i = 0; i < 2; i++) {
                client.request("m" + i, "{\"type\":\"publish\",\"channel\":\"room.metrics\",\"data\":1,\"id\":\"m" + i + "\"}");
            }
            client.request("bad", "{\"type\":\"subscribe\",\"channel\":\"nowhere\",\"id\":\"bad\"}");
            lastId = Node.json(NODE.postJson("/api/channels/room.metrics/messages", "\"last\"")).getString("id");
            client.awaitMessage(lastId);
            Metrics during = Metrics.scrape(NODE);
            assertTrue(during.value("wscluster_connections") >= 1, "open connections gauge");
            assertTrue(during.value("wscluster_subscriptions") >= 1);
        }
        Metrics after = Metrics.scrape(NODE);
        assertEquals(4, delta(before, after, "wscluster_messages_published_total{origin=\"rest\"}"));
        assertEquals(2, delta(before, after, "wscluster_messages_published_total{origin=\"socket\"}"));
        assertTrue(delta(before, after, "wscluster_messages_delivered_total") >= 6, "six messages reached the subscriber");
        assertTrue(delta(before, after, "wscluster_delivery_latency_micros_count") >= 6);
        assertTrue(delta(before, after, "wscluster_connections_opened_total") >= 1);
        assertEquals(1, delta(before, after, "wscluster_errors_total{code=\"UNKNOWN_CHANNEL\"}"));
        assertTrue(after.has("wscluster_delivery_latency_micros{quantile=\"0.99\"}"), "p99 is exported");
        assertEquals(1, after.value("wscluster_cluster_size"));
    }

    private static double delta(Metrics before, Metrics after, String series) {
        return after.value(series) - before.value(series);
    }

    @Test
    void healthChecksReportTheNodesState() {
        assertEquals(200, NODE.get("/health/started").statusCode());
        assertEquals(200, NODE.get("/health/live").statusCode());
        JsonObject ready = Node.json(NODE.get("/health/ready"));
        JsonObject data = ready.getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        assertEquals("READY", data.getString("state"));
        assertEquals("RUNNING", data.getString("cacheManager"));
    }

    @Test
    void readinessIsUpAndCountsConnections() {
        try (WsClient alice = WsClient.connect(NODE, "alice")) {
            alice.request("r", "{\"type\":\"ping\",\"id\":\"r\"}");
            HttpResponse<String> ready = NODE.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready::body);
            assertTrue(ready.body().contains("\"connections\""), ready::body);
        }
    }
}
