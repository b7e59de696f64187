package io.wscluster.broadcast;

import io.wscluster.channel.ChannelCatalog;
import io.wscluster.protocol.ErrorCode;
import io.wscluster.protocol.JsonText;
import io.wscluster.protocol.UserIds;
import io.wscluster.protocol.Utf8;
import io.wscluster.bus.ClusterBus;
import io.wscluster.registry.NodeIdentity;
import io.wscluster.ops.NodeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one path every publish takes, whatever its origin: validates, stamps an id, delivers to this
 * node's subscribers (observers of {@link Message} events) and hands the message to the cluster bus.
 */
@ApplicationScoped
public class MessagePublisher {

    @Inject
    ChannelCatalog channels;

    @Inject
    NodeIdentity node;

    @Inject
    Event<Message> deliveries;

    @Inject
    ClusterBus bus;

    @Inject
    NodeMetrics metrics;

    /** Largest message data accepted, in UTF-8 bytes. */
    @Inject
    @ConfigProperty(name = "wscluster.message.max-bytes", defaultValue = "65536")
    int maxBytes;

    private final AtomicLong sequence = new AtomicLong();

    /** Publishes a value parsed from a client frame. */
    public Message publish(String channel, JsonValue data, Origin origin, Priority priority) {
        channels.requireKnown(channel);
        String json = data.toString();
        requireSize(json);
        return deliver(Message.toChannel(nextId(), channel, json, origin, priority));
    }

    /** Publishes JSON text from outside the protocol (REST, EJB): checks that it is one JSON value first. */
    public Message publish(String channel, String jsonData, Origin origin, Priority priority) {
        channels.requireKnown(channel);
        requireSize(jsonData);
        requireJson(jsonData);
        return deliver(Message.toChannel(nextId(), channel, jsonData, origin, priority));
    }

    /** Sends JSON text to every connection of one user, wherever in the cluster it is connected. */
    public Message sendToUser(String userId, String jsonData, Origin origin, Priority priority) {
        if (!UserIds.isValid(userId)) {
            throw new MessageRejectedException(ErrorCode.INVALID_USER,
                    "user id must be 1-" + UserIds.MAX_LENGTH + " of letters, digits and . _ - @ :");
        }
        requireSize(jsonData);
        requireJson(jsonData);
        return deliver(Message.toUser(nextId(), userId, jsonData, origin, priority));
    }

    public int maxBytes() {
        return maxBytes;
    }

    private Message deliver(Message message) {
        metrics.published(message.origin());
        deliveries.fire(message); // this node's subscribers
        bus.send(message);        // everyone else's
        return message;
    }

    private String nextId() {
        return node.id() + "-" + sequence.incrementAndGet();
    }

    private void requireSize(String data) {
        if (data == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "data is required");
        }
        if (Utf8.exceeds(data, maxBytes)) {
            throw new MessageRejectedException(ErrorCode.MESSAGE_TOO_LARGE,
                    "data is larger than " + maxBytes + " bytes");
        }
    }

    private static void requireJson(String data) {
        try {
            JsonText.parse(data);
        } catch (JsonException e) {
            throw new MessageRejectedException(ErrorCode.INVALID_DATA, "data must be one JSON value");
        }
    }
}
