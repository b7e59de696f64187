package io.wscluster.loadtest.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most so many connection attempts of this process in flight at once, from the TCP connect until the
 * connection is subscribed or the attempt failed; the others wait their turn in order. Without it the ramp
 * is open-loop: on a saturated machine the attempts a cluster cannot take yet wait in its listen queues
 * past their handshake timeout, their retries add to the queue, and the nodes spend their turns on
 * connections already abandoned. With it the ramp runs at what the cluster takes.
 */
public final class Admission {

    private final int limit;
    private final Executor executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /** {@code limit} 0 or less: no limit. Waiting attempts start on {@code executor}. */
    public Admission(int limit, Executor executor) {
        this.limit = limit;
        this.executor = executor;
    }

    /** Starts the attempt now if a place is free, else when one is; its end must be told with {@link #leave}. */
    public void enter(Runnable attempt) {
        if (limit <= 0) {
            attempt.run();
            return;
        }
        waiting.add(attempt);
        admitWaiting();
    }

    /** An attempt entered earlier has ended (subscribed or failed): its place goes to the next one. */
    public void leave() {
        if (limit <= 0) {
            return;
        }
        inFlight.decrementAndGet();
        admitWaiting();
    }

    /** Attempts in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void admitWaiting() {
        while (!waiting.isEmpty()) {
            int n = inFlight.get();
            if (n >= limit) {
                return; // the attempt holding the place will admit the next one when it leaves
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet(); // another thread took it; look again
                continue;
            }
            try {
                executor.execute(next);
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet(); // the run is over and its event loops are gone: nothing starts again
                waiting.clear();
                return;
            }
        }
    }
}
