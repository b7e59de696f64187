package io.wscluster.web.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's work that may wait or take long, run in the order it came on a worker thread, one task
 * at a time: its requests that may wait on the cluster, and reads too large to handle on the selector
 * thread ({@link SelectorReads}), which must never wait and must not stop flushing other clients' writes
 * for long. Work that can run at once runs on the calling thread, unless earlier work is still queued: a
 * client's requests are handled in the order it sent them. A request read by the worker draining the queue
 * runs there and then, in its turn.
 */
final class RequestQueue {

    private static final Logger LOG = Logger.getLogger(RequestQueue.class.getName());

    private final Executor workers;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** Tasks queued or running. */
    private final AtomicInteger pending = new AtomicInteger();
    /** The worker draining the queue, while it does. */
    private volatile Thread drainer;

    RequestQueue(Executor workers) {
        this.workers = workers;
    }

    /**
     * Runs the task now if nothing is queued and {@code mayWait} is false, or if called by the worker draining
     * the queue; else after what is queued, on a worker. Called by one thread at a time: the one reading the
     * connection, or the worker draining its queue.
     */
    void run(Runnable request, boolean mayWait) {
        if (drainingHere() || !mayWait && pending.get() == 0) {
            request.run(); // only the reading thread adds tasks: none can be queued meanwhile
            return;
        }
        waiting.add(request);
        if (pending.getAndIncrement() == 0) {
            workers.execute(this::drain);
        }
    }

    /** Whether the calling thread is the worker draining the queue. */
    boolean drainingHere() {
        return Thread.currentThread() == drainer;
    }

    /** Whether nothing is queued or running. */
    boolean idle() {
        return pending.get() == 0;
    }

    private void drain() {
        drainer = Thread.currentThread();
        try {
            do {
                Runnable request = waiting.poll();
                try {
                    request.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A request failed unanswered", e);
                }
            } while (pending.decrementAndGet() > 0);
        } finally {
            drainer = null;
        }
    }
}
