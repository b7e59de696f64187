package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WritePoolTest {

    @Test
    void writesThatWaitForTheWholeSecondMakeTheNodeOverloadedUntilTheyCatchUp() throws InterruptedException {
        LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue);
        WritePool pool = new WritePool(executor, queue, 100);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> await(release)); // the only writer is busy: everything after it waits
        pool.execute(() -> { });
        for (int i = 0; i < 6; i++) {
            Thread.sleep(260); // the pool keeps its own time; the test lets a second of it pass
            pool.sample();
        }
        assertTrue(pool.lagMillis() >= 1000, "lag " + pool.lagMillis());
        assertTrue(pool.overloaded(), "behind for a whole second");
        release.countDown();
        for (int i = 0; i < 5 && pool.overloaded(); i++) {
            pool.execute(() -> { });
            Thread.sleep(260);
            pool.sample();
        }
        assertFalse(pool.overloaded(), "caught up: lag " + pool.lagMillis());
        executor.shutdownNow();
    }

    @Test
    void oneLateWriteIsASpikeNotAnOverload() throws InterruptedException {
        LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue);
        WritePool pool = new WritePool(executor, queue, 100);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> await(release));
        pool.execute(() -> { });
        Thread.sleep(260);
        pool.sample();
        release.countDown();
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> { });
            Thread.sleep(260);
            pool.sample();
            assertFalse(pool.overloaded(), "one late window of four");
        }
        executor.shutdownNow();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
