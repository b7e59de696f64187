package io.wscluster.protocol;

import io.wscluster.api.Priority;
import jakarta.json.JsonValue;

/**
 * One parsed client frame.
 *
 * @param ref the client's {@code id} (a JSON string or number), echoed in the reply; null if absent
 * @param channel the channel for subscribe, unsubscribe and publish; null for ping
 * @param data the payload of a publish; null otherwise
 * @param priority of a publish: {@code "priority":"high"} or the default, normal
 * @param key of a publish: what the message is about, for latest-per-key channels; null if absent
 * @param idempotencyKey of a publish: published at most once per key (channels with history); null if absent
 * @param since of a subscribe: the position to resume from; null if absent
 * @param token of a connect or refresh: the JWT; null otherwise
 */
public record ClientRequest(RequestType type, JsonValue ref, String channel, JsonValue data, Priority priority, String key,
        String idempotencyKey, Since since, String token) {

    /** A position in a channel's stream: its epoch and the offset of the last message the client has. */
    public record Since(String epoch, long offset) {
    }
}
