package io.wscluster.api;

import java.util.List;

/**
 * Publishes messages to channels and users across the cluster: the API other applications call.
 *
 * <p>Applications on the same Payara Micro instance look it up at
 * {@code java:global/wscluster/DefaultBroadcastService!io.wscluster.api.BroadcastService}
 * with the client jar on the shared class loader ({@code --addlibs}). Data is any JSON value as text,
 * for example {@code "\"hello\""} or {@code "{\"price\":12.5}"}.
 */
public interface BroadcastService {

    /**
     * Publishes to every subscriber of a channel.
     *
     * @return the id the message is delivered with
     * @throws MessageRejectedException if the channel is invalid or unknown, or the data is not JSON or too large
     */
    String publish(String channel, String jsonData);

    /**
     * Publishes with a priority; {@link Priority#HIGH} skips batching between nodes and queues ahead
     * of normal messages.
     */
    String publish(String channel, String jsonData, Priority priority);

    /**
     * Publishes with a key: on a channel configured {@code slow=latest-per-key}, a client that lags keeps
     * only the newest message per key (a price per symbol, a position per account).
     */
    String publish(String channel, String jsonData, Priority priority, String key);

    /**
     * Publishes at most once per idempotency key (1-128 printable ASCII): a repeat with the key, on any node,
     * is neither sent nor delivered again and returns the first's id (while the channel's history holds the
     * first, or for {@code wscluster.publish.idempotency-window-ms} on a channel without history). A caller
     * whose publish failed may retry it with the same key.
     */
    String publishOnce(String channel, String jsonData, String idempotencyKey);

    /**
     * Sends to every connection of one user, without a channel.
     *
     * @return the id the message is delivered with
     * @throws MessageRejectedException if the user id is invalid, or the data is not JSON or too large
     */
    String sendToUser(String userId, String jsonData);

    /**
     * Publishes each publication, in the list's order (so in order per channel), each with its own result:
     * one refused does not stop the others. Inside a transaction they are sent when it commits, and the
     * results carry their ids only.
     */
    List<PublishResult> publishBatch(List<Publication> publications);

    /** Publishes one message to each of the channels, each with its own result, as {@link #publishBatch}. */
    List<PublishResult> broadcast(List<String> channels, String jsonData);

    /**
     * Closes every connection of the user, on every node, with {@code closeCode} (4100-4499: final, the
     * clients do not reconnect; 4500-4999: they do) and {@code reason}; with {@code banSeconds} above 0 the
     * user is refused that long (close code 4006).
     */
    void disconnect(String userId, int closeCode, String reason, long banSeconds);

    /** Takes every connection of the user off the channel (they get an {@code unsubscribed} frame). */
    void unsubscribe(String userId, String channel);

    /** Puts every connection of the user on the channel, as if each had subscribed (they get a {@code subscribed} frame). */
    void subscribe(String userId, String channel);

    /** Moves the expiry of every connection of the user (epoch millis); a connection is closed with 4004 then. */
    void refresh(String userId, long expiresAtMillis);

    /** The channel's subscribers across the cluster, its presence and where its stream stands. */
    ChannelInfo channelInfo(String channel);
}
