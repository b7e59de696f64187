package io.wscluster.schedule;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place that makes this node's scheduled executors, all stopped with the application. Their
 * threads come from the container's ManagedThreadFactory, so they carry the application's context, but
 * the executors are plain ones: a ManagedScheduledExecutorService captures context for every task,
 * which in Payara runs a ServiceLoader over the application's class path each time.
 */
@ApplicationScoped
public class Schedulers {

    @Resource
    ManagedThreadFactory threadFactory;

    private final List<ExecutorService> made = new CopyOnWriteArrayList<>();
    private volatile ScheduledExecutorService shared;

    /** Periodic housekeeping shared by the node's services (heartbeat, sweeps, checks): short tasks only. */
    public ScheduledExecutorService shared() {
        ScheduledExecutorService current = shared;
        if (current == null) {
            synchronized (this) {
                if (shared == null) {
                    shared = create("wscluster-timer", 2);
                }
                current = shared;
            }
        }
        return current;
    }

    /**
     * A dedicated executor, for work that must not wait behind others' tasks or that needs its tasks run
     * one at a time in order ({@code threads} = 1).
     */
    public ScheduledExecutorService create(String name, int threads) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, named(name));
        // Cancelled tasks (rescheduled timeouts, flushes) leave the queue at once instead of at their due time.
        executor.setRemoveOnCancelPolicy(true);
        made.add(executor);
        return executor;
    }

    /** A fixed pool of {@code threads} for work handed over continuously (writes to connections), in order of arrival. */
    public ThreadPoolExecutor pool(String name, int threads) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), named(name));
        made.add(executor);
        return executor;
    }

    private ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName(name + "-" + count.incrementAndGet());
            return thread;
        };
    }

    @PreDestroy
    void stopAll() {
        made.forEach(ExecutorService::shutdownNow);
    }
}
