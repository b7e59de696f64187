package io.wscluster.it.support;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Assertions about what a client did not receive, proven without waiting an arbitrary time. */
public final class DeliveryAssertions {

    private DeliveryAssertions() {
    }

    /**
     * Asserts {@code client} never got {@code messageId}: publishes a marker through {@code node} on a
     * channel the client is subscribed to and checks the message did not arrive before it. Delivery
     * through one node is in publish order, so a message that was going to arrive would have come first.
     */
    public static void assertNotDelivered(Node node, WsClient client, String messageId) {
        String markerChannel = client.seen().stream().filter(f -> "subscribed".equals(f.getString("type")))
                .map(f -> f.getString("channel")).findFirst()
                .orElseThrow(() -> new AssertionError("the client must hold a subscription to receive a marker"));
        String marker = Node.json(node.postJson("/api/channels/" + markerChannel + "/messages", "\"marker\"")).getString("id");
        client.awaitMessage(marker);
        assertFalse(client.seen().stream().anyMatch(f -> messageId.equals(f.getString("id", null))),
                () -> "received " + messageId + " though not subscribed: " + client.seen());
    }
}
