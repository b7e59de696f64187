package io.wscluster.hub;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded queue of frames for one connection, drained asynchronously with one frame in flight;
 * urgent frames (high-priority messages) go out before normal ones already queued.
 * {@link #offer} never blocks: a publisher fanning out to thousands of connections pays only a queue
 * insertion per connection, and a slow client fills its own queue, nobody else's.
 */
final class OutboundQueue {

    /** Sends one frame asynchronously and reports the outcome: null for success, else the failure. */
    interface Sink {
        void send(String frame, Consumer<Throwable> done);
    }

    // Which queue this thread is draining: a send that completes synchronously inside the drain loop
    // must not start a nested drain (that would recurse once per queued frame).
    private static final ThreadLocal<OutboundQueue> DRAINING = new ThreadLocal<>();

    private final Queue<String> urgent = new ConcurrentLinkedQueue<>();
    private final Queue<String> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final int capacity;
    private final Sink sink;
    private final Consumer<Throwable> onSendFailure;
    private volatile boolean closed;

    OutboundQueue(int capacity, Sink sink, Consumer<Throwable> onSendFailure) {
        this.capacity = capacity;
        this.sink = sink;
        this.onSendFailure = onSendFailure;
    }

    /** @return false if the queue is full (the frame is not queued) */
    boolean offer(String frame, boolean isUrgent) {
        if (closed) {
            return true; // the connection is going away; its frames have nowhere to go
        }
        if (depth.incrementAndGet() > capacity) {
            depth.decrementAndGet();
            return false;
        }
        (isUrgent ? urgent : frames).add(frame);
        drain();
        return true;
    }

    /** Frames waiting, not counting the one in flight. */
    int depth() {
        return depth.get();
    }

    /** Stops sending and drops what is queued. */
    void close() {
        closed = true;
        urgent.clear();
        frames.clear();
        depth.set(0);
    }

    private void drain() {
        OutboundQueue outer = DRAINING.get();
        if (outer == this) {
            return; // the loop below, further up this thread's stack, will send the next frame
        }
        DRAINING.set(this);
        try {
            while (!closed && sending.compareAndSet(false, true)) {
                String frame = urgent.poll();
                if (frame == null) {
                    frame = frames.poll();
                }
                if (frame == null) {
                    sending.set(false);
                    if (urgent.isEmpty() && frames.isEmpty()) {
                        return;
                    }
                    continue; // a frame arrived between poll and release: its producer saw us sending
                }
                depth.decrementAndGet();
                sink.send(frame, this::sent);
            }
        } finally {
            if (outer == null) {
                DRAINING.remove();
            } else {
                DRAINING.set(outer);
            }
        }
    }

    private void sent(Throwable failure) {
        sending.set(false);
        if (failure != null) {
            close();
            onSendFailure.accept(failure);
            return;
        }
        drain();
    }
}
