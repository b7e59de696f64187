package io.wscluster.schedule;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task run once, a short delay after it is asked for, however often it is asked meanwhile: the batched
 * writers (affinity, presence) gather changes and write them in one go. A request made while the task runs
 * schedules the next run, so no change is left behind.
 */
public final class CoalescedTask {

    private final ScheduledExecutorService executor;
    private final long delayMillis;
    private final Runnable task;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public CoalescedTask(ScheduledExecutorService executor, long delayMillis, Runnable task) {
        this.executor = executor;
        this.delayMillis = delayMillis;
        this.task = task;
    }

    /** Runs the task after the delay, unless a run is already waiting. */
    public void request() {
        if (scheduled.compareAndSet(false, true)) {
            executor.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        scheduled.set(false);
        task.run();
    }
}
