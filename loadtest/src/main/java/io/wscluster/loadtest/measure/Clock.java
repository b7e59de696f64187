package io.wscluster.loadtest.measure;

import java.time.Instant;

/**
 * Wall-clock time in microseconds, comparable between the tool's processes on one machine (publishers
 * stamp it, receivers in other processes subtract it): read from the epoch clock once, then advanced by
 * the monotonic clock so it is cheap and never steps back.
 */
public final class Clock {

    private static final long EPOCH_MICROS_AT_START;
    private static final long NANOS_AT_START;

    static {
        Instant now = Instant.now();
        NANOS_AT_START = System.nanoTime();
        EPOCH_MICROS_AT_START = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private Clock() {
    }

    public static long micros() {
        return EPOCH_MICROS_AT_START + (System.nanoTime() - NANOS_AT_START) / 1_000;
    }
}
