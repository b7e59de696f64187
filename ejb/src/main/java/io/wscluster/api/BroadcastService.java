package io.wscluster.api;

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
     * Sends to every connection of one user, without a channel.
     *
     * @return the id the message is delivered with
     * @throws MessageRejectedException if the user id is invalid, or the data is not JSON or too large
     */
    String sendToUser(String userId, String jsonData);
}
