package io.wscluster.api;

import java.io.Serializable;

/**
 * One publication of a batch ({@link BroadcastService#publishBatch}): JSON data to a channel or, with no
 * channel, to a user.
 *
 * @param idempotencyKey published at most once per key (see the REST API's {@code Idempotency-Key}); null for none
 */
public record Publication(String channel, String user, String jsonData, String idempotencyKey) implements Serializable {

    public static Publication toChannel(String channel, String jsonData) {
        return new Publication(channel, null, jsonData, null);
    }

    public static Publication toUser(String user, String jsonData) {
        return new Publication(null, user, jsonData, null);
    }

    public Publication withIdempotencyKey(String key) {
        return new Publication(channel, user, jsonData, key);
    }
}
