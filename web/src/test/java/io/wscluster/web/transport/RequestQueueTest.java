package io.wscluster.web.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestQueueTest {

    /** A worker pool that runs its tasks only when told to. */
    private static final class HeldWorkers implements java.util.concurrent.Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Test
    void aRequestThatCannotWaitRunsOnTheReadingThreadWhenNothingIsQueued() {
        HeldWorkers workers = new HeldWorkers();
        RequestQueue queue = new RequestQueue(workers);
        List<String> ran = new ArrayList<>();
        queue.run(() -> ran.add("ping"), false);
        assertEquals(List.of("ping"), ran);
        assertTrue(workers.tasks.isEmpty());
    }

    @Test
    void requestsKeepTheirOrderBehindOneThatMayWait() {
        HeldWorkers workers = new HeldWorkers();
        RequestQueue queue = new RequestQueue(workers);
        List<String> ran = new ArrayList<>();
        queue.run(() -> ran.add("publish"), true);
        queue.run(() -> ran.add("ping"), false);
        queue.run(() -> ran.add("unsubscribe"), false);
        assertEquals(List.of(), ran, "nothing runs on the reading thread while a request is queued");
        assertEquals(1, workers.tasks.size(), "one worker task drains the connection's queue");
        workers.runAll();
        assertEquals(List.of("publish", "ping", "unsubscribe"), ran);
        queue.run(() -> ran.add("ping again"), false);
        assertEquals("ping again", ran.get(3), "once drained, the reading thread runs requests again");
    }

    @Test
    void aRequestReadByTheDrainingWorkerRunsThereInItsTurn() {
        HeldWorkers workers = new HeldWorkers();
        RequestQueue queue = new RequestQueue(workers);
        List<String> ran = new ArrayList<>();
        // A large read goes to the worker; the requests in it run as it reads them, before the next read's.
        queue.run(() -> {
            ran.add("read 1");
            queue.run(() -> ran.add("publish from read 1"), true);
            queue.run(() -> ran.add("ping from read 1"), false);
        }, true);
        queue.run(() -> {
            ran.add("read 2");
            queue.run(() -> ran.add("ping from read 2"), false);
        }, false);
        workers.runAll();
        assertEquals(List.of("read 1", "publish from read 1", "ping from read 1", "read 2", "ping from read 2"), ran);
    }

    @Test
    void aFailingRequestDoesNotStopThoseAfterIt() {
        HeldWorkers workers = new HeldWorkers();
        RequestQueue queue = new RequestQueue(workers);
        List<String> ran = new ArrayList<>();
        queue.run(() -> {
            throw new IllegalStateException("boom");
        }, true);
        queue.run(() -> ran.add("next"), true);
        workers.runAll();
        assertEquals(List.of("next"), ran);
    }

    @Test
    void requestsAddedWhileTheQueueDrainsOnAnotherThreadRunOnceEachInOrder() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            RequestQueue queue = new RequestQueue(pool);
            List<Integer> ran = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(10_000);
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                queue.run(() -> {
                    ran.add(n);
                    done.countDown();
                }, i % 3 == 0);
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i, ran.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
