package io.wscluster.loadtest.client;

import jakarta.json.Json;
import jakarta.json.JsonArray;

/**
 * One connection's way back after it was lost, in epoch microseconds: lost, the attempt that succeeded
 * started, its handshake done, resubscribed. Workers send it to the coordinator as a JSON array.
 */
public record Reconnection(long connection, long lostAt, long attemptStartedAt, long openedAt, long backAt) {

    public JsonArray toJson() {
        return Json.createArrayBuilder().add(connection).add(lostAt).add(attemptStartedAt).add(openedAt).add(backAt).build();
    }

    public static Reconnection of(JsonArray json) {
        return new Reconnection(json.getJsonNumber(0).longValue(), json.getJsonNumber(1).longValue(),
                json.getJsonNumber(2).longValue(), json.getJsonNumber(3).longValue(), json.getJsonNumber(4).longValue());
    }
}
