package io.wscluster.hub;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Runs the connections' writes and measures how late they start: the node's delivery lag. A connection
 * with frames waiting has one write task queued here at most, so the lag is how long the node takes to
 * get round to every connection that has something to send. A client that does not read adds nothing
 * (its write waits for its socket, not for the pool); a node short of CPU makes it grow for everybody.
 */
public final class WritePool implements Executor {

    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int WINDOWS = 4;

    /** A write task with the time it was handed over. */
    private record Task(Runnable write, long queuedNanos) implements Runnable {
        @Override
        public void run() {
            write.run();
        }
    }

    private final Executor executor;
    private final BlockingQueue<Runnable> queue;
    private final LongAccumulator worstInWindow = new LongAccumulator(Long::max, 0);
    private final long[] windows = new long[WINDOWS];
    private final long enterNanos;
    private int window;
    private long windowStarted = System.nanoTime();
    private volatile long lagNanos;
    private volatile boolean overloaded;

    /**
     * @param executor runs the tasks; its queue, if it has one worth watching, is {@code queue}
     * @param overloadLagMillis the lag at which the node counts as overloaded (until it falls under half)
     */
    public WritePool(Executor executor, BlockingQueue<Runnable> queue, long overloadLagMillis) {
        this.executor = executor;
        this.queue = queue;
        this.enterNanos = TimeUnit.MILLISECONDS.toNanos(overloadLagMillis);
    }

    /** For tests: writes run on the offering thread. */
    public static WritePool direct() {
        return new WritePool(Runnable::run, null, 500);
    }

    @Override
    public void execute(Runnable write) {
        long now = System.nanoTime();
        executor.execute(new Task(() -> {
            worstInWindow.accumulate(System.nanoTime() - now);
            write.run();
        }, now));
    }

    /**
     * Folds the last window into the lag; called every quarter second. The lag is the worst start delay of
     * the last second, or the age of the oldest write still waiting, whichever is larger. The node counts
     * as overloaded only when every window of the last second was that late (a burst of handshakes makes
     * spikes; being behind is sustained), and stays so until the lag falls under half the threshold.
     */
    public synchronized void sample() {
        long now = System.nanoTime();
        long waiting = 0;
        Runnable oldest = queue == null ? null : queue.peek();
        if (oldest instanceof Task task) {
            waiting = now - task.queuedNanos();
        }
        if (now - windowStarted >= WINDOW_NANOS) {
            window = (window + 1) % WINDOWS;
            windows[window] = Math.max(worstInWindow.getThenReset(), waiting);
            windowStarted = now;
        }
        long worst = waiting;
        long best = Long.MAX_VALUE;
        for (long w : windows) {
            worst = Math.max(worst, w);
            best = Math.min(best, w);
        }
        lagNanos = worst;
        overloaded = best >= enterNanos || overloaded && worst >= enterNanos / 2;
    }

    /** How late writes start, in milliseconds (see {@link #sample}). */
    public long lagMillis() {
        return TimeUnit.NANOSECONDS.toMillis(lagNanos);
    }

    /** Whether the node is behind for everybody: publishers should wait, new clients go elsewhere. */
    public boolean overloaded() {
        return overloaded;
    }
}
