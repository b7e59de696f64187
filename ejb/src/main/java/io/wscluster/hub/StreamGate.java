package io.wscluster.hub;

import io.wscluster.history.StoredMessage;
import io.wscluster.history.StreamSlice;
import io.wscluster.message.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Puts one channel's positioned messages back into stream order on this node. Messages of one channel
 * come from several publishing nodes over separate paths, so one may overtake another: an early one
 * waits for the gap before it to fill, from the bus or, when the gap stays open or a node leaves, from
 * the stream itself (which holds every acknowledged message). Whatever it releases, it releases in
 * offset order, each offset once and each message id once within the last few released, which it keeps
 * for subscribers that resume.
 */
final class StreamGate {

    private static final Logger LOG = Logger.getLogger(StreamGate.class.getName());

    private final String channel;
    private String epoch;
    private long next;
    private final TreeMap<Long, Message> held = new TreeMap<>();
    private long gapSinceNanos;
    private String strayEpoch;
    private final int windowSize;
    /** The last messages released, oldest first, all of one epoch. */
    private final ArrayDeque<Message> window = new ArrayDeque<>();
    private final Set<String> windowIds = new HashSet<>();

    /**
     * @param head where the stream stood when this node started following it (null epoch: nothing yet)
     * @param windowSize how many released messages to keep for {@link #releasedSince}
     */
    StreamGate(String channel, StreamSlice head, int windowSize) {
        this.channel = channel;
        this.epoch = head.epoch();
        this.next = head.offset() + 1;
        this.windowSize = windowSize;
    }

    /** Takes a message from the bus; returns the messages now due, in order. */
    synchronized List<Message> accept(Message message, long nowNanos) {
        return remember(order(message, nowNanos));
    }

    private List<Message> order(Message message, long nowNanos) {
        List<Message> due = new ArrayList<>(1);
        if (!message.epoch().equals(epoch)) {
            // A stream that started (or started again, its history expired or lost) begins at offset 1:
            // whatever arrives first, earlier positions of the new epoch are still to come.
            held.values().forEach(due::add);
            held.clear();
            epoch = message.epoch();
            next = 1;
        }
        if (message.offset() < next || held.containsKey(message.offset())) {
            if (message.offset() < next && !windowIds.contains(message.id()) && !window.isEmpty()
                    && message.offset() >= window.peekFirst().offset()) {
                // Not a repeat of what was released there: the stream gave this offset to two messages.
                LOG.warning(() -> "Dropped message " + message.id() + " of " + channel + " at offset " + message.offset()
                        + " (epoch " + message.epoch() + "): another message was released at that offset");
            }
            return due; // released already
        }
        if (message.offset() > next) {
            if (held.isEmpty()) {
                gapSinceNanos = nowNanos;
            }
            held.put(message.offset(), message);
            return due;
        }
        due.add(message);
        next++;
        releaseConsecutive(due);
        return due;
    }

    /** Whether a gap has been open for at least {@code timeoutNanos}. */
    synchronized boolean gapOlderThan(long timeoutNanos, long nowNanos) {
        return !held.isEmpty() && nowNanos - gapSinceNanos >= timeoutNanos;
    }

    /** The epoch of the stream the gate follows; null while the stream does not exist. */
    synchronized String epoch() {
        return epoch;
    }

    /** Whether {@code epoch}, found not to be the stream's, is another than the last such one. */
    synchronized boolean firstStray(String epoch) {
        boolean first = !epoch.equals(strayEpoch);
        strayEpoch = epoch;
        return first;
    }

    /** The offset the gate has released up to: a stream read after it has what this node is missing. */
    synchronized long released() {
        return next - 1;
    }

    /**
     * Takes what the stream holds after {@link #released()} and releases, in order, what the read and the
     * held messages now make contiguous. The rest waits unless the read saw the stream at least as far as
     * the bus has brought messages: then an offset it does not hold is one the stream no longer keeps
     * (beyond its history), gone for good, and skipped. A read that saw less (an absent stream, or a copy a
     * write behind, as around a membership change) cannot tell a dropped message from one not seen yet;
     * skipping on it lost a message for every subscriber of a node. Such a gap is given up only after
     * {@code giveUpNanos}.
     */
    synchronized List<Message> fill(StreamSlice slice, long nowNanos, long giveUpNanos) {
        return remember(fillFrom(slice, nowNanos, giveUpNanos));
    }

    private List<Message> fillFrom(StreamSlice slice, long nowNanos, long giveUpNanos) {
        List<Message> due = new ArrayList<>();
        boolean sameEpoch = slice.epoch() != null && slice.epoch().equals(epoch);
        if (sameEpoch) {
            for (StoredMessage stored : slice.messages()) {
                if (stored.offset() >= next) {
                    held.putIfAbsent(stored.offset(), stored.toMessage(channel, epoch));
                }
            }
        }
        releaseConsecutive(due);
        if (held.isEmpty()) {
            return due;
        }
        boolean sawPastHeld = sameEpoch && slice.offset() >= held.lastKey();
        boolean restarted = slice.epoch() != null && !sameEpoch;
        boolean givenUp = nowNanos - gapSinceNanos >= giveUpNanos;
        if (!sawPastHeld && !restarted && !givenUp) {
            return due; // the next round reads again, or the bus fills it
        }
        long from = next;
        long to = held.firstKey() - 1;
        LOG.warning(() -> "Skipped offsets " + from + "-" + to + " of " + channel + " (epoch " + epoch + "): "
                + (sawPastHeld ? "the stream no longer holds them" : restarted ? "the stream started again as " + slice.epoch()
                : "the stream could not be read past them for " + TimeUnit.NANOSECONDS.toSeconds(nowNanos - gapSinceNanos) + " s"));
        for (Message message : held.values()) {
            due.add(message);
            next = message.offset() + 1;
        }
        held.clear();
        return due;
    }

    /**
     * What this gate released after {@code since} of epoch {@code sinceEpoch}, oldest first, for a subscriber
     * that resumes there: exactly what this node's subscribers got, so the replay and the live messages that
     * follow it join without a gap, whatever the stream's copies hold. Null when the kept messages do not
     * reach back that far, the position is of another epoch or more than {@code limit} (the channel's
     * history) behind: then the stream has to be read.
     */
    synchronized List<Message> releasedSince(String sinceEpoch, long since, int limit) {
        if (epoch == null || !epoch.equals(sinceEpoch) || since > released() || released() - since > limit) {
            return null;
        }
        boolean kept = !window.isEmpty() && window.peekLast().epoch().equals(epoch);
        long first = kept ? window.peekFirst().offset() : next;
        if (since < first - 1) {
            return null;
        }
        List<Message> after = new ArrayList<>();
        if (kept) {
            window.forEach(m -> {
                if (m.offset() > since) {
                    after.add(m);
                }
            });
        }
        return after;
    }

    /**
     * Keeps what is released in the window, and drops a message whose id was released within it already:
     * a guard, since appends became compare-and-set, against a stream that stores one message at two offsets
     * (a function run on each owner did so around membership changes), whose subscribers must not get it
     * twice. Its offset counts as released all the same.
     */
    private List<Message> remember(List<Message> due) {
        for (Iterator<Message> messages = due.iterator(); messages.hasNext(); ) {
            Message message = messages.next();
            if (!window.isEmpty() && !window.peekLast().epoch().equals(message.epoch())) {
                window.clear();
                windowIds.clear();
            }
            if (!windowIds.add(message.id())) {
                messages.remove();
                LOG.warning(() -> "Skipped message " + message.id() + " of " + channel + " at offset " + message.offset()
                        + ": released already at an earlier offset (the stream stored it twice)");
                continue;
            }
            window.addLast(message);
            if (window.size() > windowSize) {
                windowIds.remove(window.removeFirst().id());
            }
        }
        return due;
    }

    private void releaseConsecutive(List<Message> due) {
        Message following;
        while ((following = held.remove(next)) != null) {
            due.add(following);
            next++;
        }
    }
}
