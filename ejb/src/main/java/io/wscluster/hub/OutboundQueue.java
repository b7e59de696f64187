package io.wscluster.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The frames waiting for one connection, written with one write in flight: everything queued when a write
 * starts goes out in that one write (up to a byte budget), urgent frames (high priority) first. Offering
 * never blocks and never writes: the write runs on the pool, so a fan-out to thousands of connections
 * costs one queue insertion each, and frames that arrive while a write is in flight go out together.
 *
 * <p>When the queue is full it tells a client that does not read (its own write has been in flight for
 * {@code stallNanos}: its socket stays unwritable) from a node that is late for everybody (its writes
 * complete, the node cannot keep up). The former is the client's problem: its channel's policy drops
 * queued frames, or it is given up on. The latter is not: the queue takes up to {@code hardCapacity}
 * frames while publishers are pushed back, and only beyond that does it give up.
 */
final class OutboundQueue {

    /** What became of an offered frame. */
    enum Offer {
        QUEUED,
        /** It took the place of a queued frame with the same key (latest-per-key). */
        REPLACED,
        /** Queued; the oldest frame the client may lose was dropped to make room. */
        DROPPED_OLDEST,
        /** The client does not read and the frame may not be dropped: give the client up. */
        SLOW_CONSUMER,
        /** Full far beyond capacity though the client reads: the node cannot keep up. */
        OVERLOADED
    }

    /** Writes whole frames as one write and reports the outcome: null for success, else the failure. */
    interface Sink {
        void write(List<OutboundFrame> frames, Consumer<Throwable> done);
    }

    /** A queued frame; a newer frame with the same key takes its place (latest-per-key). */
    private static final class Slot {
        OutboundFrame frame;

        Slot(OutboundFrame frame) {
            this.frame = frame;
        }
    }

    private final int capacity;
    private final int hardCapacity;
    private final int maxWriteBytes;
    private final long stallNanos;
    private final Sink sink;
    private final Executor writers;
    private final Consumer<Throwable> onWriteFailure;

    // Guarded by this.
    private final ArrayDeque<Slot> urgent = new ArrayDeque<>();
    private final ArrayDeque<Slot> normal = new ArrayDeque<>();
    private final Map<String, Slot> byKey = new HashMap<>();
    private int depth;
    private boolean scheduled;   // a write is running or waiting for the pool
    private boolean inFlight;    // handed to the sink, not completed
    private boolean returned;    // the sink's write() call has returned
    private boolean completed;   // its completion has been reported
    private long writeStartedNanos;
    private boolean closed;

    OutboundQueue(int capacity, int maxWriteBytes, long stallNanos, Sink sink, Executor writers, Consumer<Throwable> onWriteFailure) {
        this.capacity = capacity;
        this.hardCapacity = capacity * 4;
        this.maxWriteBytes = maxWriteBytes;
        this.stallNanos = stallNanos;
        this.sink = sink;
        this.writers = writers;
        this.onWriteFailure = onWriteFailure;
    }

    Offer offer(OutboundFrame frame) {
        return offer(frame, false);
    }

    /**
     * @param writeHere write on the calling thread if no write is under way (a reply on the thread that read
     *     its request, which may not wait: the write never blocks), rather than hand the write to the pool
     */
    Offer offer(OutboundFrame frame, boolean writeHere) {
        Offer outcome = Offer.QUEUED;
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return Offer.QUEUED; // the connection is going away; its frames have nowhere to go
            }
            String key = frame.conflationKey();
            Slot same = key == null ? null : byKey.get(key);
            if (same != null) {
                same.frame = frame; // the newer value where the older one waited
                return Offer.REPLACED;
            }
            if (depth >= capacity) {
                if (stalled(System.nanoTime())) {
                    if (!frame.droppable() || !dropOldestDroppable()) {
                        return Offer.SLOW_CONSUMER;
                    }
                    outcome = Offer.DROPPED_OLDEST;
                } else if (depth >= hardCapacity) {
                    return Offer.OVERLOADED;
                }
            }
            Slot slot = new Slot(frame);
            (frame.urgent() ? urgent : normal).add(slot);
            if (key != null) {
                byKey.put(key, slot);
            }
            depth++;
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule && writeHere) {
            writeAll();
        } else if (schedule) {
            writers.execute(this::writeAll);
        }
        return outcome;
    }

    /** Frames waiting, not counting those being written. */
    synchronized int depth() {
        return depth;
    }

    /** How long the write in flight has waited for the socket; 0 when none is in flight. */
    synchronized long writePendingNanos(long now) {
        return inFlight ? now - writeStartedNanos : 0;
    }

    /** Stops writing and drops what is queued. */
    synchronized void close() {
        closed = true;
        urgent.clear();
        normal.clear();
        byKey.clear();
        depth = 0;
    }

    /** On the pool: writes until the queue is empty or a write has to wait for the socket. */
    private void writeAll() {
        while (true) {
            List<OutboundFrame> batch;
            synchronized (this) {
                batch = closed ? List.of() : take();
                if (batch.isEmpty()) {
                    scheduled = false;
                    return;
                }
                inFlight = true;
                returned = false;
                completed = false;
                writeStartedNanos = System.nanoTime();
            }
            try {
                sink.write(batch, this::written);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // Even an encoder's Error (Tyrus wraps MalformedInputException in one) ends this
                // connection's write cleanly instead of leaving it in flight for good.
                written(e);
            }
            synchronized (this) {
                returned = true;
                if (!completed) {
                    return; // the socket is full: the completion schedules the next write
                }
            }
        }
    }

    private void written(Throwable failure) {
        boolean resume;
        synchronized (this) {
            inFlight = false;
            completed = true;
            resume = returned && failure == null && !closed;
            if (failure != null) {
                scheduled = false;
            }
        }
        if (failure != null) {
            close();
            onWriteFailure.accept(failure);
        } else if (resume) {
            writers.execute(this::writeAll);
        }
    }

    /** Everything queued, urgent first, up to the byte budget (at least one frame). */
    private List<OutboundFrame> take() {
        List<OutboundFrame> batch = new ArrayList<>();
        int bytes = 0;
        for (ArrayDeque<Slot> lane : List.of(urgent, normal)) {
            while (!lane.isEmpty() && (batch.isEmpty() || bytes + lane.peek().frame.wire().length <= maxWriteBytes)) {
                Slot slot = lane.poll();
                OutboundFrame frame = slot.frame;
                if (frame.conflationKey() != null) {
                    byKey.remove(frame.conflationKey(), slot);
                }
                batch.add(frame);
                bytes += frame.wire().length;
                depth--;
            }
        }
        return batch;
    }

    private boolean stalled(long now) {
        return inFlight && now - writeStartedNanos >= stallNanos;
    }

    /** Drops the oldest frame a lagging client may lose; false if there is none. */
    private boolean dropOldestDroppable() {
        for (Iterator<Slot> it = normal.iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            if (slot.frame.droppable()) {
                it.remove();
                if (slot.frame.conflationKey() != null) {
                    byKey.remove(slot.frame.conflationKey(), slot);
                }
                depth--;
                return true;
            }
        }
        return false;
    }
}
