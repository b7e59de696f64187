package io.wscluster.hub;

import io.wscluster.history.StreamReader;
import io.wscluster.history.StreamSlice;
import io.wscluster.message.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the streams of the channels that keep history and have subscribers on this node: one
 * {@link StreamGate} each, so their messages reach the hub's fan-out in stream order, each once, gaps
 * filled from the stream when the bus leaves them open.
 */
final class StreamFollower {

    private static final Logger LOG = Logger.getLogger(StreamFollower.class.getName());

    private final StreamReader streams;
    private final long gapNanos;
    /**
     * How long a gap the stream cannot be read past is waited for before it is skipped: longer than a
     * membership change takes to settle (failure detection, then the new owners' state), so a stale read
     * around one does not cost a message.
     */
    private static final long GIVE_UP_MILLIS = 30_000;
    private final long giveUpNanos;
    private final int replayWindow;
    private final Map<String, StreamGate> gates = new ConcurrentHashMap<>();

    /** @param replayWindow how many released messages each gate keeps for resuming subscribers */
    StreamFollower(StreamReader streams, long gapMillis, int replayWindow) {
        this.streams = streams;
        this.gapNanos = gapMillis * 1_000_000;
        this.giveUpNanos = Math.max(GIVE_UP_MILLIS, 20 * gapMillis) * 1_000_000;
        this.replayWindow = replayWindow;
    }

    /**
     * Starts following a channel (its first local subscriber), from where its stream stands now. compute,
     * not computeIfAbsent: the latter may return a present gate without taking the map's lock, i.e. while
     * {@link #unfollow} is retiring it.
     */
    StreamGate follow(String channel) {
        return gates.compute(channel, (c, gate) -> gate != null ? gate : new StreamGate(c, streams.latest(c, 0), replayWindow));
    }

    /**
     * Stops following a channel whose last local subscriber left, unless one subscribed again meanwhile:
     * {@code subscribed} is asked atomically with {@link #follow}, so a subscriber indexed before this
     * runs keeps the gate, and one indexed after it finds the gate gone and starts a new one.
     */
    void unfollow(String channel, Predicate<String> subscribed) {
        gates.computeIfPresent(channel, (c, gate) -> subscribed.test(c) ? gate : null);
    }

    /**
     * Whether {@code gate} is still the one following the channel (not retired by {@link #unfollow}); asked
     * under the map's lock, so an unfollow already deciding is waited for.
     */
    boolean follows(String channel, StreamGate gate) {
        return gates.compute(channel, (c, current) -> current) == gate;
    }

    /** A positioned message from the bus: released to {@code fanOut} in stream order (under the gate's lock). */
    void deliver(Message message, Consumer<Message> fanOut) {
        StreamGate gate = gates.get(message.channel());
        if (gate == null) {
            return; // nobody here follows the channel
        }
        synchronized (gate) {
            if (!fromAnotherStream(gate, message)) {
                gate.accept(message, System.nanoTime()).forEach(fanOut);
            }
        }
    }

    /**
     * Whether a message carries an epoch that is neither the gate's nor the stream's. A node cut off by a
     * partition retries the appends it had in flight in a view of its own, where it may hold no copy of the
     * stream and so start another one; after the heal those messages still arrive over the bus. Taken as a
     * new epoch they would make the gate start the channel over from offset 1, and the next message of the
     * real stream again, each time releasing the whole stream once more. A stream that really started anew
     * has the new epoch itself.
     */
    private boolean fromAnotherStream(StreamGate gate, Message message) {
        String epoch = gate.epoch();
        if (epoch == null || epoch.equals(message.epoch())) {
            return false;
        }
        try {
            String current = streams.latest(message.channel(), 0).epoch();
            if (current == null || current.equals(message.epoch())) {
                return false;
            }
            // Strays come in runs (whatever the cut-off side published): said once per foreign epoch.
            LOG.log(gate.firstStray(message.epoch()) ? Level.WARNING : Level.FINE, () -> "Dropped message " + message.id()
                    + " of " + message.channel() + ": its epoch " + message.epoch() + " is not the stream's (" + current + ")");
            return true;
        } catch (RuntimeException e) {
            return false; // the stream cannot be asked now: trust the message, as before
        }
    }

    /** Fills gaps that stayed open too long from the streams. */
    void fillOldGaps(Consumer<Message> fanOut) {
        long now = System.nanoTime();
        gates.forEach((channel, gate) -> {
            if (gate.gapOlderThan(gapNanos, now)) {
                catchUp(channel, gate, fanOut);
            }
        });
    }

    /**
     * Reads every followed stream past what this node released: after a node left, the messages it
     * acknowledged but never broadcast are there, and nowhere else.
     */
    void catchUpAll(Consumer<Message> fanOut) {
        gates.forEach((channel, gate) -> catchUp(channel, gate, fanOut));
    }

    private void catchUp(String channel, StreamGate gate, Consumer<Message> fanOut) {
        try {
            synchronized (gate) {
                StreamSlice slice = streams.since(channel, gate.released(), Integer.MAX_VALUE);
                gate.fill(slice, System.nanoTime(), giveUpNanos).forEach(fanOut);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the stream of " + channel + " to fill a gap; next round retries", e);
        }
    }

    /** The read a resuming subscriber replays from: after its position, or the latest message (cache mode). */
    StreamSlice read(String channel, Long since, int limit) {
        return since == null ? streams.latest(channel, 1) : streams.since(channel, since, limit);
    }

    int followed() {
        return gates.size();
    }

    List<String> channels() {
        return List.copyOf(gates.keySet());
    }
}
