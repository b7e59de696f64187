package io.wscluster.publish;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.api.Publication;
import io.wscluster.api.PublishResult;
import io.wscluster.broker.Broker;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelOptions;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The one path every publish takes, whatever its origin (socket, REST, EJB): validates, stamps a
 * cluster-unique id and hands the message to the {@link Broker}, which stores it (on a channel that keeps
 * history: appended to the channel's stream, which gives it its position, held by two nodes before the
 * publish completes) and delivers it on every node. When a publish returns (and is acknowledged), the
 * message survives the death of any one node, this one included.
 */
@ApplicationScoped
public class MessagePublisher {

    private final Function<String, ChannelOptions> knownChannel;
    private final Function<String, ChannelOptions> channelOptions;
    private final String idPrefix;
    private final Broker broker;
    private final Metrics metrics;
    private final Runnable capacity;
    private final Claims claims;
    private final PublishSettings settings;
    private final AtomicLong sequence = new AtomicLong();

    /** Where a keyed publish is told from its repeats when no stream does it (see {@link IdempotencyWindow}). */
    public interface Claims {
        /** Whether a publish of the message to the target is the first within the window (and now recorded). */
        CompletionStage<Boolean> first(String target, String messageId);
    }

    /**
     * Per target without a stream (a channel without history, a user), the hand-over to the broker of its
     * last publish still waiting for its claim: a later publish to that target is handed over after it, so a
     * publisher's order holds while claims are answered in any order. Absent while none waits.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> handovers = new ConcurrentHashMap<>();

    @Inject
    public MessagePublisher(ChannelCatalog channels, LocalNode node, Broker broker, Metrics metrics, ClusterLag lag,
            IdempotencyWindow window, Config config) {
        this(channels::requireKnown, channels::options, node.id() + "-" + Long.toString(node.startedAt(), 36) + "-", broker, metrics,
                lag::requireCapacity, window::first, PublishSettings.from(config));
    }

    /**
     * The publisher over what it uses of the node: for the contract suite, which runs it on one hub and the
     * memory broker.
     *
     * @param knownChannel a channel's options, or a {@link MessageRejectedException} when it does not exist
     * @param channelOptions a channel's options, the defaults when the configuration no longer has it
     * @param idPrefix what every message id of this node starts with
     * @param capacity throws RATE_LIMITED while the cluster is behind
     * @param claims where idempotency keys are claimed on channels without history and for users
     */
    public MessagePublisher(Function<String, ChannelOptions> knownChannel, Function<String, ChannelOptions> channelOptions,
            String idPrefix, Broker broker, Metrics metrics, Runnable capacity, Claims claims, PublishSettings settings) {
        this.knownChannel = knownChannel;
        this.channelOptions = channelOptions;
        this.idPrefix = idPrefix;
        this.broker = broker;
        this.metrics = metrics;
        this.capacity = capacity;
        this.claims = claims;
        this.settings = settings;
    }

    /** For CDI proxies only. */
    protected MessagePublisher() {
        this(null, null, "", null, null, null, null, new PublishSettings(0, 0));
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
        ChannelOptions options = knownChannel.apply(channel);
        String json = data.toString();
        requireSize(json);
        String id = idFor(idempotencyKey);
        capacity.run();
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
     * Publishes JSON text from outside the protocol, at most once per idempotency key: the key becomes the
     * message's id ({@code key:<key>}), and a publish repeated with it is neither stored nor delivered again
     * and answers as the first did: on a channel with history while the channel's stream still holds the
     * first (its history size and age), with its position; elsewhere for {@code
     * wscluster.publish.idempotency-window-ms} ({@link IdempotencyWindow}). A publisher whose publish failed
     * (a timeout while a node died: it may have been sent all the same) publishes it again with the same key
     * and it is delivered exactly once.
     *
     * @param idempotencyKey null for none: then as {@link #publish(String, String, Origin, Priority, String)}
     */
    public Message publish(String channel, String jsonData, Origin origin, Priority priority, String key, String idempotencyKey) {
        return send(prepare(channel, jsonData, origin, priority, key, idempotencyKey), channelOptions.apply(channel));
    }

    /**
     * Publishes each publication from outside the protocol (REST, EJB) in the list's order, which is each
     * channel's order too (a channel's appends from this node keep the order they were asked in); each gets
     * its own result, and one refused (checks, capacity, storage) does not stop the others. Returns once all
     * are sent or refused.
     */
    public List<PublishResult> publishAll(List<Publication> publications, Origin origin) {
        List<CompletableFuture<Message>> sending = new ArrayList<>(publications.size());
        for (Publication publication : publications) {
            try {
                Message message = prepare(publication, origin);
                capacity.run();
                sending.add(deliver(message, message.isDirect() ? ChannelOptions.DEFAULTS : channelOptions.apply(message.channel())));
            } catch (MessageRejectedException e) {
                sending.add(CompletableFuture.failedFuture(e));
            }
        }
        List<PublishResult> results = new ArrayList<>(publications.size());
        for (int i = 0; i < publications.size(); i++) {
            results.add(result(target(publications.get(i)), sending.get(i)));
        }
        return results;
    }

    /** Checks a publication of a batch and stamps its id, without sending it (see {@link #prepare}). */
    public Message prepare(Publication publication, Origin origin) {
        if (publication == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "a publication is required");
        }
        if ((publication.channel() == null) == (publication.user() == null)) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "a publication names a channel or a user, not both");
        }
        if (publication.user() != null) {
            return prepareToUser(publication.user(), publication.jsonData(), origin, Priority.NORMAL, publication.idempotencyKey());
        }
        return prepare(publication.channel(), publication.jsonData(), origin, Priority.NORMAL, null, publication.idempotencyKey());
    }

    /** What a publication is addressed to, as a result names it: the channel, or {@code @user}. */
    public static String target(Publication publication) {
        return publication == null ? null : publication.channel() != null ? publication.channel() : "@" + publication.user();
    }

    /** The result of one publication of a batch, once it is sent or refused. */
    private static PublishResult result(String target, CompletableFuture<Message> sending) {
        try {
            Message sent = awaitSent(sending);
            return PublishResult.sent(target, sent.id(), sent.epoch(), sent.offset());
        } catch (MessageRejectedException e) {
            return PublishResult.refused(target, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            return PublishResult.refused(target, ErrorCode.INTERNAL, "could not be sent");
        }
    }

    /** A new message's id: this node's next, or the one its idempotency key makes. */
    private String idFor(String idempotencyKey) {
        if (idempotencyKey == null) {
            return nextId();
        }
        if (!IdempotencyKeys.isValid(idempotencyKey)) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, IdempotencyKeys.RULE);
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
        knownChannel.apply(channel);
        requireKey(key);
        requireSize(jsonData);
        requireJson(jsonData);
        return Message.toChannel(idFor(idempotencyKey), channel, jsonData, origin, priority, key);
    }

    /** Sends JSON text to every connection of one user, wherever in the cluster it is connected. */
    public Message sendToUser(String userId, String jsonData, Origin origin, Priority priority) {
        return sendToUser(userId, jsonData, origin, priority, null);
    }

    /** As {@link #sendToUser(String, String, Origin, Priority)}, at most once per idempotency key (null for none). */
    public Message sendToUser(String userId, String jsonData, Origin origin, Priority priority, String idempotencyKey) {
        return send(prepareToUser(userId, jsonData, origin, priority, idempotencyKey), ChannelOptions.DEFAULTS);
    }

    /** Checks a message to a user and stamps its id, without sending it (see {@link #prepare}). */
    public Message prepareToUser(String userId, String jsonData, Origin origin, Priority priority) {
        return prepareToUser(userId, jsonData, origin, priority, null);
    }

    private Message prepareToUser(String userId, String jsonData, Origin origin, Priority priority, String idempotencyKey) {
        if (!UserIds.isValid(userId)) {
            throw new MessageRejectedException(ErrorCode.INVALID_USER, UserIds.RULE);
        }
        requireSize(jsonData);
        requireJson(jsonData);
        return Message.toUser(idFor(idempotencyKey), userId, jsonData, origin, priority);
    }

    /** @throws MessageRejectedException with RATE_LIMITED while the cluster is behind (see {@link ClusterLag}) */
    public void requireCapacity() {
        capacity.run();
    }

    /** The largest frame and message data accepted, in UTF-8 bytes. */
    public int maxBytes() {
        return settings.maxBytes();
    }

    /** Sends a prepared message and waits until it is sent: appended to its stream first where the channel keeps history. */
    public Message send(Message message, ChannelOptions options) {
        capacity.run();
        return awaitSent(deliver(message, options));
    }

    /** Sends a prepared message already admitted (a transaction's, at its commit): no capacity check, no waiting. */
    public CompletableFuture<Message> sendAdmitted(Message message) {
        return deliver(message, message.isDirect() ? ChannelOptions.DEFAULTS : channelOptions.apply(message.channel()));
    }

    /**
     * Sends a message, or answers a keyed repeat as the first without sending it. A stream tells repeats
     * itself; elsewhere the key is claimed in the cluster's window first, without blocking the caller
     * (a claim is a round trip to its owners), and the target's publishes keep their order (handovers).
     */
    private CompletableFuture<Message> deliver(Message message, ChannelOptions options) {
        boolean streamChecksKey = !message.isDirect() && options.keepsHistory();
        if (streamChecksKey) {
            return toBroker(message, options);
        }
        String target = message.isDirect() ? "@" + message.user() : message.channel();
        boolean keyed = IdempotencyKeys.isKeyed(message.id());
        if (!keyed && !handovers.containsKey(target)) {
            return toBroker(message, options); // nothing waits before it
        }
        CompletableFuture<Boolean> claim = keyed ? claims.first(target, message.id()).toCompletableFuture() : CompletableFuture.completedFuture(true);
        CompletableFuture<Message> result = new CompletableFuture<>();
        CompletableFuture<Void> handover = handovers.compute(target, (t, previous) ->
                (previous == null ? claim : previous.thenCombine(claim, (done, first) -> first)).handle((first, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else if (!first) {
                        result.complete(message); // a repeat within the window: answered as the first, not sent
                    } else {
                        toBroker(message, options).whenComplete((sent, sendFailure) -> {
                            if (sendFailure != null) {
                                result.completeExceptionally(sendFailure);
                            } else {
                                result.complete(sent);
                            }
                        });
                    }
                    return null;
                }));
        handover.whenComplete((done, failure) -> handovers.remove(target, handover));
        return result;
    }

    private CompletableFuture<Message> toBroker(Message message, ChannelOptions options) {
        return broker.publish(message, options).thenApply(sent -> {
            metrics.published(sent.origin());
            return sent;
        });
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
