package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    @Test
    void synchronousCompletionsDrainInOrderWithoutRecursion() {
        List<String> sent = new ArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        OutboundQueue queue = new OutboundQueue(100_000, (frame, done) -> {
            maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
            sent.add(frame);
            done.accept(null); // completes on the calling thread, as Grizzly does for an immediate write
            depth.decrementAndGet();
        }, failure -> { });
        for (int i = 0; i < 50_000; i++) {
            assertTrue(queue.offer("f" + i, false));
        }
        assertEquals(50_000, sent.size());
        assertEquals("f49999", sent.get(49_999));
        assertEquals(1, maxDepth.get(), "a completion inside the drain loop must not start a nested drain");
    }

    @Test
    void refusesFramesBeyondCapacityWhileOneIsInFlight() {
        List<Consumer<Throwable>> pending = new ArrayList<>();
        OutboundQueue queue = new OutboundQueue(2, (frame, done) -> pending.add(done), failure -> { });
        assertTrue(queue.offer("in flight", false));
        assertTrue(queue.offer("q1", false));
        assertTrue(queue.offer("q2", false));
        assertFalse(queue.offer("overflow", false));
        assertEquals(2, queue.depth());
        pending.get(0).accept(null); // completion frees a place
        assertEquals(1, queue.depth());
        assertTrue(queue.offer("q3", false));
    }

    @Test
    void urgentFramesOvertakeQueuedNormalOnes() {
        List<String> sent = new ArrayList<>();
        List<Consumer<Throwable>> pending = new ArrayList<>();
        OutboundQueue queue = new OutboundQueue(10, (frame, done) -> {
            sent.add(frame);
            pending.add(done);
        }, failure -> { });
        queue.offer("n1", false);          // goes out at once
        queue.offer("n2", false);
        queue.offer("n3", false);
        queue.offer("h1", true);
        while (sent.size() < 4) {
            pending.get(sent.size() - 1).accept(null);
        }
        assertEquals(List.of("n1", "h1", "n2", "n3"), sent);
    }

    @Test
    void failureClosesTheQueueAndReportsOnce() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        AtomicInteger sends = new AtomicInteger();
        IOException broken = new IOException("broken pipe");
        OutboundQueue queue = new OutboundQueue(10, (frame, done) -> {
            sends.incrementAndGet();
            done.accept(broken);
        }, reported::set);
        queue.offer("a", false);
        queue.offer("b", false);
        assertSame(broken, reported.get());
        assertEquals(1, sends.get(), "nothing is sent after a failure");
        assertEquals(0, queue.depth());
    }

    @Test
    void concurrentProducersWithAsynchronousCompletionsLoseNothing() throws InterruptedException {
        ExecutorService completer = Executors.newSingleThreadExecutor();
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int producers = 4;
        int perProducer = 5_000;
        CountDownLatch allSent = new CountDownLatch(producers * perProducer);
        OutboundQueue queue = new OutboundQueue(producers * perProducer, (frame, done) -> {
            if (inFlight.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            completer.execute(() -> {
                sent.add(frame);
                inFlight.decrementAndGet();
                allSent.countDown();
                done.accept(null);
            });
        }, failure -> { });
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            int id = p;
            pool.execute(() -> {
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(id + ":" + i, false);
                }
            });
        }
        assertTrue(allSent.await(30, TimeUnit.SECONDS), "sent " + sent.size());
        assertEquals(0, overlaps.get(), "never more than one frame in flight");
        for (int p = 0; p < producers; p++) {
            int last = -1;
            for (String frame : sent) {
                if (frame.startsWith(p + ":")) {
                    int n = Integer.parseInt(frame.substring(frame.indexOf(':') + 1));
                    assertTrue(n > last, "each producer's frames go out in its order");
                    last = n;
                }
            }
            assertEquals(perProducer - 1, last);
        }
        pool.shutdownNow();
        completer.shutdownNow();
    }
}
