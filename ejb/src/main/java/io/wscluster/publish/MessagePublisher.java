package io.wscluster.publish;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.bus.MessageBus;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.history.ChannelHistory;
import io.wscluster.hub.ClusterLag;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import io.wscluster.metrics.Metrics;
import io.wscluster.protocol.IdempotencyKeys;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.Config;

/**
 * The one path every publish takes, whatever its origin (socket, REST, EJB): validates, stamps a
 * cluster-unique id and hands the message to the bus, which delivers it on every node. On a channel that
 * keeps history the message is first appended to the channel's stream, which gives it its position and
 * returns once two nodes hold it: when a publish returns (and is acknowledged), the message survives the
 * death of any one node, this one included.
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
    ChannelHistory history;

    @Inject
    Config config;

    private PublishSettings settings;
    private String idPrefix;
    private final AtomicLong sequence = new AtomicLong();

    @PostConstruct
    void init() {
        settings = PublishSettings.from(config);
        idPrefix = node.id() + "-" + Long.toString(node.startedAt(), 36) + "-";
    }

    /**
     * Publishes a value parsed from a client frame, without waiting: completes once the message is sent
     * (on a channel with history: held by two nodes), or with a {@link MessageRejectedException}. Checks
     * that fail throw at once.
     *
     * @param key what the message is about, for latest-per-key channels; null for none
     * @param idempotencyKey published at most once per key, as in {@link #publish(String, String, Origin, Priority, String,
     *                       String)}; null for none
     */
    public CompletableFuture<Message> publish(String channel, JsonValue data, Origin origin, Priority priority, String key,
            String idempotencyKey) {
        ChannelOptions options = channels.requireKnown(channel);
        String json = data.toString();
        requireSize(json);
        String id = idFor(channel, options, idempotencyKey);
        lag.requireCapacity();
        return deliver(Message.toChannel(id, channel, json, origin, priority, key), options);
    }

    /**
     * Publishes JSON text from outside the protocol (REST, EJB): checks that it is one JSON value first;
     * returns once the message is sent (on a channel with history: held by two nodes).
     */
    public Message publish(String channel, String jsonData, Origin origin, Priority priority, String key) {
        return publish(channel, jsonData, origin, priority, key, null);
    }

    /**
     * Publishes JSON text from outside the protocol, at most once per idempotency key: on a channel with
     * history the key becomes the message's id, and a publish repeated with it while the channel's stream
     * still holds the first (its history size and age) is neither stored nor delivered again; it returns the
     * first's id and position. A publisher whose publish failed (a timeout while a node died: it may have been
     * stored all the same) publishes it again with the same key and gets it exactly once.
     *
     * @param idempotencyKey null for none: then as {@link #publish(String, String, Origin, Priority, String)}
     */
    public Message publish(String channel, String jsonData, Origin origin, Priority priority, String key, String idempotencyKey) {
        return send(prepare(channel, jsonData, origin, priority, key, idempotencyKey), channels.options(channel));
    }

    /** A new message's id: this node's next, or the one its idempotency key makes (channels with history only). */
    private String idFor(String channel, ChannelOptions options, String idempotencyKey) {
        if (idempotencyKey == null) {
            return nextId();
        }
        if (!IdempotencyKeys.isValid(idempotencyKey)) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, IdempotencyKeys.RULE);
        }
        if (!options.keepsHistory()) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD,
                    channel + " keeps no history, and an idempotency key is checked against the channel's stream");
        }
        return IdempotencyKeys.messageId(idempotencyKey);
    }

    /**
     * Checks a publish from outside the protocol (REST, EJB) and stamps its id, without sending it: a
     * publish inside a transaction is sent at commit ({@link #send}).
     */
    public Message prepare(String channel, String jsonData, Origin origin, Priority priority, String key) {
        return prepare(channel, jsonData, origin, priority, key, null);
    }

    private Message prepare(String channel, String jsonData, Origin origin, Priority priority, String key, String idempotencyKey) {
        ChannelOptions options = channels.requireKnown(channel);
        requireKey(key);
        requireSize(jsonData);
        requireJson(jsonData);
        return Message.toChannel(idFor(channel, options, idempotencyKey), channel, jsonData, origin, priority, key);
    }

    /** Sends JSON text to every connection of one user, wherever in the cluster it is connected. */
    public Message sendToUser(String userId, String jsonData, Origin origin, Priority priority) {
        return send(prepareToUser(userId, jsonData, origin, priority), ChannelOptions.DEFAULTS);
    }

    /** Checks a message to a user and stamps its id, without sending it (see {@link #prepare}). */
    public Message prepareToUser(String userId, String jsonData, Origin origin, Priority priority) {
        if (!UserIds.isValid(userId)) {
            throw new MessageRejectedException(ErrorCode.INVALID_USER, UserIds.RULE);
        }
        requireSize(jsonData);
        requireJson(jsonData);
        return Message.toUser(nextId(), userId, jsonData, origin, priority);
    }

    /** @throws MessageRejectedException with RATE_LIMITED while the cluster is behind (see {@link ClusterLag}) */
    public void requireCapacity() {
        lag.requireCapacity();
    }

    /** The largest frame and message data accepted, in UTF-8 bytes. */
    public int maxBytes() {
        return settings.maxBytes();
    }

    /** Sends a prepared message and waits until it is sent: appended to its stream first where the channel keeps history. */
    public Message send(Message message, ChannelOptions options) {
        lag.requireCapacity();
        return awaitSent(deliver(message, options));
    }

    /** Sends a prepared message already admitted (a transaction's, at its commit): no capacity check, no waiting. */
    public CompletableFuture<Message> sendAdmitted(Message message) {
        return deliver(message, message.isDirect() ? ChannelOptions.DEFAULTS : channels.options(message.channel()));
    }

    private CompletableFuture<Message> deliver(Message message, ChannelOptions options) {
        if (!message.isDirect() && options.keepsHistory()) {
            return history.append(message, options, this::toBus);
        }
        toBus(message);
        return CompletableFuture.completedFuture(message);
    }

    private void toBus(Message message) {
        metrics.published(message.origin());
        bus.publish(message);
    }

    /** The message once sent, or the rejection the sending ended in, thrown as such. */
    public static Message awaitSent(CompletableFuture<Message> sending) {
        try {
            return sending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * {@code <node>-<start>-<sequence>}: the node's start time (base 36) keeps ids unique when a node comes
     * back under the same id, whose sequence starts again (a channel stream tells retried appends by id).
     */
    private String nextId() {
        return idPrefix + sequence.incrementAndGet();
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
