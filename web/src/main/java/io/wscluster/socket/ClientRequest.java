package io.wscluster.socket;

import jakarta.json.JsonValue;

/**
 * One parsed client frame.
 *
 * @param ref the client's {@code id} (a JSON string or number), echoed in the reply; null if absent
 * @param channel the channel for subscribe, unsubscribe and publish; null for ping
 * @param data the payload of a publish; null otherwise
 */
record ClientRequest(RequestType type, JsonValue ref, String channel, JsonValue data) {
}
