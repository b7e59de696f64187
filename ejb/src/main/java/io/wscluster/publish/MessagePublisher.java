package io.wscluster.publish;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.bus.MessageBus;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.hub.ClusterLag;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import io.wscluster.metrics.Metrics;
import io.wscluster.protocol.JsonText;
import io.wscluster.protocol.MessageKeys;
import io.wscluster.protocol.UserIds;
import io.wscluster.protocol.Utf8;
import io.wscluster.registry.LocalNode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.Config;

/**
 * The one path every publish takes, whatever its origin (socket, REST, EJB): validates, stamps a
 * cluster-unique id and hands the message to the bus, which delivers it on every node.
 */
@ApplicationScoped
public class MessagePublisher {

    @Inject
    ChannelCatalog channels;

    @Inject
    LocalNode node;

    @Inject
    MessageBus bus;

    @Inject
    Metrics metrics;

    @Inject
    ClusterLag lag;

    @Inject
    Config config;

    private PublishSettings settings;
    private final AtomicLong sequence = new AtomicLong();

    @PostConstruct
    void init() {
        settings = PublishSettings.from(config);
    }

    /**
     * Publishes a value parsed from a client frame.
     *
     * @param key what the message is about, for latest-per-key channels; null for none
     */
    public Message publish(String channel, JsonValue data, Origin origin, Priority priority, String key) {
        channels.requireKnown(channel);
        String json = data.toString();
        requireSize(json);
        return send(Message.toChannel(nextId(), channel, json, origin, priority, key));
    }

    /** Publishes JSON text from outside the protocol (REST, EJB): checks that it is one JSON value first. */
    public Message publish(String channel, String jsonData, Origin origin, Priority priority, String key) {
        channels.requireKnown(channel);
        requireKey(key);
        requireSize(jsonData);
        requireJson(jsonData);
        return send(Message.toChannel(nextId(), channel, jsonData, origin, priority, key));
    }

    /** Sends JSON text to every connection of one user, wherever in the cluster it is connected. */
    public Message sendToUser(String userId, String jsonData, Origin origin, Priority priority) {
        if (!UserIds.isValid(userId)) {
            throw new MessageRejectedException(ErrorCode.INVALID_USER, UserIds.RULE);
        }
        requireSize(jsonData);
        requireJson(jsonData);
        return send(Message.toUser(nextId(), userId, jsonData, origin, priority));
    }

    /** The largest frame and message data accepted, in UTF-8 bytes. */
    public int maxBytes() {
        return settings.maxBytes();
    }

    private Message send(Message message) {
        lag.requireCapacity();
        metrics.published(message.origin());
        bus.publish(message);
        return message;
    }

    private String nextId() {
        return node.id() + "-" + sequence.incrementAndGet();
    }

    private static void requireKey(String key) {
        if (key != null && !MessageKeys.isValid(key)) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, MessageKeys.RULE);
        }
    }

    private void requireSize(String data) {
        if (data == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "data is required");
        }
        if (Utf8.exceeds(data, settings.maxBytes())) {
            throw new MessageRejectedException(ErrorCode.MESSAGE_TOO_LARGE,
                    "data is larger than " + settings.maxBytes() + " bytes");
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
