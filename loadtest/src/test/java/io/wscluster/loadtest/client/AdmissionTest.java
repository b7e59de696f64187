package io.wscluster.loadtest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void attemptsBeyondTheLimitWaitTheirTurnInOrder() {
        Admission admission = new Admission(2, Runnable::run);
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int attempt = i;
            admission.enter(() -> started.add(attempt));
        }
        assertEquals(List.of(0, 1), started);
        admission.leave();
        assertEquals(List.of(0, 1, 2), started);
        admission.leave();
        admission.leave();
        assertEquals(List.of(0, 1, 2, 3, 4), started);
        assertEquals(2, admission.inFlight());
    }

    @Test
    void withoutALimitEveryAttemptStartsAtOnce() {
        Admission admission = new Admission(0, command -> {
            throw new AssertionError("nothing waits without a limit");
        });
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            admission.enter(started::incrementAndGet);
        }
        assertEquals(1000, started.get());
    }

    @Test
    void neverMoreInFlightThanTheLimitUnderConcurrency() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int limit = 8;
        int attempts = 20_000;
        Admission admission = new Admission(limit, pool);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(attempts);
        try {
            for (int i = 0; i < attempts; i++) {
                pool.execute(() -> admission.enter(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    running.decrementAndGet();
                    done.countDown();
                    admission.leave();
                }));
            }
            assertEquals(true, done.await(30, TimeUnit.SECONDS), "every attempt started");
            assertEquals(true, most.get() <= limit, "at most " + limit + " at once, saw " + most.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
