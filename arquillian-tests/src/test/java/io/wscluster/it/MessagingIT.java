package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.wscluster.it.support.DeliveryAssertions.assertNotDelivered;

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
    void readinessIsUpAndCountsConnections() {
        try (WsClient alice = WsClient.connect(NODE, "alice")) {
            alice.request("r", "{\"type\":\"ping\",\"id\":\"r\"}");
            HttpResponse<String> ready = NODE.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready::body);
            assertTrue(ready.body().contains("\"connections\""), ready::body);
        }
    }
}
