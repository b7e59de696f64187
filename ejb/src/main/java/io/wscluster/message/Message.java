package io.wscluster.message;

import io.wscluster.api.Priority;
import java.io.Serializable;

/**
 * One published message: to a channel, or directly to a user when {@code channel} is null.
 *
 * @param data the payload as JSON text, already validated
 * @param key what the message is about (a symbol, an account), for channels that keep only the latest
 *     message per key for a client that lags; null when it has none
 */
public record Message(String id, String channel, String user, String data, long timestamp, Origin origin,
        Priority priority, String key) implements Serializable {

    public static Message toChannel(String id, String channel, String data, Origin origin, Priority priority, String key) {
        return new Message(id, channel, null, data, System.currentTimeMillis(), origin, priority, key);
    }

    public static Message toUser(String id, String user, String data, Origin origin, Priority priority) {
        return new Message(id, null, user, data, System.currentTimeMillis(), origin, priority, null);
    }

    public boolean isDirect() {
        return channel == null;
    }
}
