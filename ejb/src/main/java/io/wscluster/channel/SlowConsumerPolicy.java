package io.wscluster.channel;

import java.util.Arrays;
import java.util.Locale;

/** What a channel's messages do to a client that does not read them fast enough (its own socket stays unwritable). */
public enum SlowConsumerPolicy {
    /** The client is closed with 4001; it reconnects and recovers what it missed from history, if the channel keeps one. */
    DISCONNECT,
    /** The client stays; the oldest of its queued frames are dropped to make room. */
    DROP_OLDEST,
    /**
     * The client stays; a newer message with the same key replaces the one still queued (price tickers,
     * positions), and when the queue is full of distinct keys the oldest are dropped.
     */
    LATEST_PER_KEY;

    /** The configuration name: {@code disconnect}, {@code drop-oldest}, {@code latest-per-key}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static SlowConsumerPolicy fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("slow is one of disconnect, drop-oldest, latest-per-key, not " + name));
    }
}
