package io.wscluster.loadtest.client;

import io.netty.util.concurrent.EventExecutor;
import io.wscluster.loadtest.measure.Clock;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeats of one event loop's connections, from one timer a second: on one machine, a timer per
 * connection woke the loop for every one of thousands of pings (a system call each), and the tool's own
 * idle connections cost it more CPU than the nodes spent answering them. Touched on its loop's thread only.
 */
final class Heartbeats {

    /** A connection's heartbeat: pings when due, gives up when nothing came for too long. */
    interface Beat {
        void beat(long nowMicros);
    }

    private static final Map<EventExecutor, Heartbeats> BY_LOOP = new ConcurrentHashMap<>();

    private final Set<Beat> beats = new LinkedHashSet<>();

    private Heartbeats(EventExecutor loop) {
        loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts the connection's heartbeat; called on its loop's thread. */
    static void add(EventExecutor loop, Beat beat) {
        BY_LOOP.computeIfAbsent(loop, Heartbeats::new).beats.add(beat);
    }

    /** Stops it; called on its loop's thread. */
    static void remove(EventExecutor loop, Beat beat) {
        Heartbeats heartbeats = BY_LOOP.get(loop);
        if (heartbeats != null) {
            heartbeats.beats.remove(beat);
        }
    }

    private void tick() {
        long now = Clock.micros();
        // A beat may close its connection, which removes it: walk a copy.
        for (Beat beat : beats.toArray(Beat[]::new)) {
            beat.beat(now);
        }
    }
}
