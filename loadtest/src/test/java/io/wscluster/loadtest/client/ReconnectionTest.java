package io.wscluster.loadtest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A reconnection survives the trip from a worker to the coordinator with every field in its place. */
class ReconnectionTest {

    @Test
    void roundTripsThroughJson() {
        Reconnection sent = new Reconnection(7, 1_000_000_000_000L, 1_000_000_250_000L, 1_000_000_400_000L, 1_000_000_900_000L);
        assertEquals(sent, Reconnection.of(sent.toJson()));
    }
}
