package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Deployment(testable = false)
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    @Test
    void socketPublishReachesEverySubscriberAndOnlyThem() {
        try (WsClient alice = WsClient.connect("alice").subscribe("chat.sock");
             WsClient bob = WsClient.connect("bob").subscribe("chat.sock");
             WsClient carol = WsClient.connect("carol").subscribe("chat.other")) {
            JsonObject ack = bob.request("p1", "{\"type\":\"publish\",\"channel\":\"chat.sock\",\"data\":{\"text\":\"hi\"},\"id\":\"p1\"}");
            assertEquals("published", ack.getString("type"));
            String messageId = ack.getString("messageId");

            for (WsClient subscriber : new WsClient[] {alice, bob}) {
                JsonObject message = subscriber.awaitMessage(messageId);
                assertEquals("chat.sock", message.getString("channel"));
                assertEquals("hi", message.getJsonObject("data").getString("text"));
                assertTrue(message.getJsonNumber("ts").longValue() > 0);
            }
            assertOnlyGetsLaterMessages(carol, "chat.sock", messageId);
        }
    }

    @Test
    void restPublishReachesSubscribersWithTheReturnedId() {
        try (WsClient alice = WsClient.connect("alice").subscribe("news");
             WsClient bob = WsClient.connect("bob").subscribe("news");
             WsClient carol = WsClient.connect("carol").subscribe("alerts")) {
            HttpResponse<String> response = Node.postJson("/api/channels/news/messages", "{\"headline\":\"rest\"}");
            assertEquals(202, response.statusCode(), response::body);
            String messageId = Node.json(response).getString("id");

            assertEquals("rest", alice.awaitMessage(messageId).getJsonObject("data").getString("headline"));
            assertEquals("rest", bob.awaitMessage(messageId).getJsonObject("data").getString("headline"));
            assertOnlyGetsLaterMessages(carol, "news", messageId);
        }
    }

    @Test
    void unsubscribedClientsStopReceiving() {
        try (WsClient alice = WsClient.connect("alice").subscribe("room.u")) {
            assertEquals("unsubscribed", alice.request("u1", "{\"type\":\"unsubscribe\",\"channel\":\"room.u\",\"id\":\"u1\"}").getString("type"));
            String first = Node.json(Node.postJson("/api/channels/room.u/messages", "1")).getString("id");
            alice.subscribe("room.u");
            String second = Node.json(Node.postJson("/api/channels/room.u/messages", "2")).getString("id");
            alice.awaitMessage(second);
            assertFalse(alice.seen().stream().anyMatch(f -> first.equals(f.getString("id", null))),
                    "a message published while unsubscribed must not arrive");
        }
    }

    @Test
    void userMessagesReachAllOfThatUsersConnectionsOnly() {
        try (WsClient phone = WsClient.connect("dora");
             WsClient laptop = WsClient.connect("dora");
             WsClient other = WsClient.connect("eve")) {
            HttpResponse<String> response = Node.postJson("/api/users/dora/messages", "\"for dora\"");
            assertEquals(202, response.statusCode(), response::body);
            String messageId = Node.json(response).getString("id");
            for (WsClient connection : new WsClient[] {phone, laptop}) {
                JsonObject message = connection.awaitMessage(messageId);
                assertEquals("dora", message.getString("to"));
                assertEquals("for dora", message.getString("data"));
            }
            String marker = Node.json(Node.postJson("/api/users/eve/messages", "\"marker\"")).getString("id");
            other.awaitMessage(marker);
            assertFalse(other.seen().stream().anyMatch(f -> messageId.equals(f.getString("id", null))));
        }
    }

    @Test
    void channelListShowsConfigurationAndLocalSubscribers() {
        try (WsClient alice = WsClient.connect("alice").subscribe("room.listed")) {
            JsonObject channels = Node.json(Node.get("/api/channels"));
            assertTrue(channels.getJsonArray("configured").getValuesAs(jakarta.json.JsonString.class).stream()
                    .anyMatch(s -> s.getString().equals("room.*")), channels::toString);
            assertTrue(channels.getJsonArray("active").getValuesAs(JsonObject.class).stream()
                    .anyMatch(c -> c.getString("name").equals("room.listed") && c.getInt("localSubscribers") == 1),
                    channels::toString);
        }
    }

    @Test
    void readinessIsUpAndCountsConnections() {
        try (WsClient alice = WsClient.connect("alice")) {
            alice.request("r", "{\"type\":\"ping\",\"id\":\"r\"}");
            HttpResponse<String> ready = Node.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready::body);
            assertTrue(ready.body().contains("\"connections\""), ready::body);
        }
    }

    /**
     * Asserts {@code client} never got {@code messageId}: publishes a marker on a channel it is
     * subscribed to and checks the message did not come before it (delivery on one node is in
     * publish order, so a message that was going to arrive would have arrived first).
     */
    static void assertOnlyGetsLaterMessages(WsClient client, String channel, String messageId) {
        String markerChannel = client.seen().stream().filter(f -> "subscribed".equals(f.getString("type")))
                .map(f -> f.getString("channel")).findFirst().orElseThrow();
        String marker = Node.json(Node.postJson("/api/channels/" + markerChannel + "/messages", "\"marker\"")).getString("id");
        client.awaitMessage(marker);
        assertFalse(client.seen().stream().anyMatch(f -> messageId.equals(f.getString("id", null))),
                () -> "a non-subscriber of " + channel + " received " + messageId + ": " + client.seen());
    }
}
