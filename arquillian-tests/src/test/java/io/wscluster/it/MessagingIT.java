package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.wscluster.it.support.DeliveryAssertions.assertNotDelivered;

import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
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
    void readinessIsUpAndCountsConnections() {
        try (WsClient alice = WsClient.connect(NODE, "alice")) {
            alice.request("r", "{\"type\":\"ping\",\"id\":\"r\"}");
            HttpResponse<String> ready = NODE.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready::body);
            assertTrue(ready.body().contains("\"connections\""), ready::body);
        }
    }
}
