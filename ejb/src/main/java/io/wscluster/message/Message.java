package io.wscluster.message;

import io.wscluster.api.Priority;
import java.io.Serializable;

/**
 * One published message: to a channel, or directly to a user when {@code channel} is null.
 *
 * @param data the payload as JSON text, already validated
 * @param key what the message is about (a symbol, an account), for channels that keep only the latest
 *     message per key for a client that lags; null when it has none
 * @param epoch the channel stream's epoch, on a channel that keeps history; null otherwise
 * @param offset the message's position in that stream (from 1, no gaps); 0 on a channel without history
 */
public record Message(String id, String channel, String user, String data, long timestamp, Origin origin,
        Priority priority, String key, String epoch, long offset) implements Serializable {

    public static Message toChannel(String id, String channel, String data, Origin origin, Priority priority, String key) {
        return new Message(id, channel, null, data, System.currentTimeMillis(), origin, priority, key, null, 0);
    }

    public static Message toUser(String id, String user, String data, Origin origin, Priority priority) {
        return new Message(id, null, user, data, System.currentTimeMillis(), origin, priority, null, null, 0);
    }

    public boolean isDirect() {
        return channel == null;
    }

    /** Whether it has a place in its channel's stream (the channel keeps history). */
    public boolean positioned() {
        return offset > 0;
    }

    /** The same message at a position in its channel's stream. */
    public Message at(String streamEpoch, long streamOffset) {
        return new Message(id, channel, user, data, timestamp, origin, priority, key, streamEpoch, streamOffset);
    }
}
