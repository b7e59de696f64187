package io.wscluster.cluster;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Notices that this process stood still (SIGSTOP, a suspended machine, a long stop-the-world pause): a thread
 * that wakes every quarter of a second finds seconds gone. A node that has just woken holds a view the others
 * changed long ago (they dropped it); until the views have merged again it must not act for the cluster on
 * that view, or it would remove the others from the registry and release their users, writes that land in the
 * merged cluster.
 */
final class PauseDetector {

    private static final Logger LOG = Logger.getLogger(PauseDetector.class.getName());
    private static final long TICK_MILLIS = 250;

    private final long pauseNanos;
    private final long distrustNanos;
    private final Thread thread;
    private volatile long distrustUntil;
    private volatile boolean distrusting;

    /**
     * @param pauseMillis a standstill this long counts as a pause (about failure detection's timeout)
     * @param distrustMillis how long after one this node does not act for the cluster (a merge takes 2-5 s)
     */
    PauseDetector(long pauseMillis, long distrustMillis) {
        this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        this.distrustNanos = TimeUnit.MILLISECONDS.toNanos(distrustMillis);
        this.thread = new Thread(this::watch, "wscluster-pause-detector");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }

    /** Whether this process stood still recently enough that its view is not to be acted on. */
    boolean recentlyPaused() {
        return distrusting && System.nanoTime() - distrustUntil < 0;
    }

    private void watch() {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long stood = now - last - TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            if (stood > pauseNanos) {
                distrustUntil = now + distrustNanos;
                distrusting = true;
                LOG.warning(() -> "This node stood still for " + TimeUnit.NANOSECONDS.toMillis(stood) + " ms: it does not act for the cluster"
                        + " (registry, balancer) for the next " + TimeUnit.NANOSECONDS.toSeconds(distrustNanos) + " s, while the views merge");
            }
            last = now;
        }
    }
}
