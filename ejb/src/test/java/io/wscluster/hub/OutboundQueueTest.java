package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.channel.SlowConsumerPolicy;
import io.wscluster.hub.OutboundQueue.Offer;
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

    /** A transport that records each write and completes it at once, or holds it while stalled. */
    private static final class Socket implements OutboundQueue.Sink {
        final List<List<String>> writes = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        boolean stalled;

        @Override
        public synchronized void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
            writes.add(frames.stream().map(OutboundFrame::text).toList());
            if (stalled) {
                pending.add(done);
            } else {
                done.accept(null);
            }
        }

        void complete() {
            List<Consumer<Throwable>> done;
            synchronized (this) {
                stalled = false;
                done = List.copyOf(pending);
                pending.clear();
            }
            done.forEach(d -> d.accept(null));
        }

        synchronized List<String> written() {
            return writes.stream().flatMap(List::stream).toList();
        }
    }

    private final Socket socket = new Socket();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();

    /** A queue whose writes run on the offering thread; a write in flight counts as stalled at once (stall time 0). */
    private OutboundQueue queue(int capacity) {
        return new OutboundQueue(capacity, 64 * 1024, 0, socket, Runnable::run, failed::set);
    }

    private static OutboundFrame frame(String text) {
        return OutboundFrame.reply("\"" + text + "\"");
    }

    private static OutboundFrame message(String text, SlowConsumerPolicy policy, String key) {
        return OutboundFrame.message("\"" + text + "\"", false, "prices", policy, key, null, 0);
    }

    @Test
    void framesQueuedDuringAWriteGoOutTogetherInOneWrite() {
        OutboundQueue queue = queue(16);
        socket.stalled = true;
        queue.offer(frame("a"));
        queue.offer(frame("b"));
        queue.offer(frame("c"));
        assertEquals(List.of(List.of("\"a\"")), socket.writes, "one write in flight");
        socket.complete();
        assertEquals(List.of(List.of("\"a\""), List.of("\"b\"", "\"c\"")), socket.writes, "the rest in one write");
        assertEquals(0, queue.depth());
    }

    @Test
    void aReplyIsWrittenOnTheCallingThreadWhenNothingIsBeingWrittenElseItWaitsItsTurn() {
        List<Runnable> pool = new ArrayList<>();
        OutboundQueue queue = new OutboundQueue(16, 64 * 1024, 0, socket, pool::add, failed::set);
        queue.offer(frame("pong"), true);
        assertEquals(List.of("\"pong\""), socket.written(), "written at once, by the caller");
        assertTrue(pool.isEmpty(), "no hand-over to the write pool");

        queue.offer(frame("message"));
        queue.offer(frame("second pong"), true);
        assertEquals(List.of("\"pong\""), socket.written(), "a write is scheduled on the pool: the reply queues behind it");
        pool.forEach(Runnable::run);
        assertEquals(List.of("\"pong\"", "\"message\"", "\"second pong\""), socket.written());
    }

    @Test
    void oneWriteStopsAtTheByteBudget() {
        OutboundQueue queue = new OutboundQueue(16, 20, 0, socket, Runnable::run, failed::set);
        socket.stalled = true;
        queue.offer(frame("first"));
        for (int i = 0; i < 4; i++) {
            queue.offer(frame("frame" + i)); // 9 bytes each on the wire
        }
        socket.complete();
        assertEquals(List.of(2, 2), socket.writes.subList(1, 3).stream().map(List::size).toList());
    }

    @Test
    void urgentFramesOvertakeQueuedOnesButNotTheOneInFlight() {
        OutboundQueue queue = queue(16);
        socket.stalled = true;
        queue.offer(frame("n1"));
        queue.offer(frame("n2"));
        queue.offer(OutboundFrame.message("\"h1\"", true, "news", SlowConsumerPolicy.DISCONNECT, null, null, 0));
        socket.complete();
        assertEquals(List.of("\"n1\"", "\"h1\"", "\"n2\""), socket.written());
    }

    @Test
    void aFullQueueOfAClientThatDoesNotReadGivesItUpOnADisconnectChannel() {
        OutboundQueue queue = queue(2);
        socket.stalled = true;
        assertEquals(Offer.QUEUED, queue.offer(message("in flight", SlowConsumerPolicy.DISCONNECT, null)));
        queue.offer(message("q1", SlowConsumerPolicy.DISCONNECT, null));
        queue.offer(message("q2", SlowConsumerPolicy.DISCONNECT, null));
        assertEquals(Offer.SLOW_CONSUMER, queue.offer(message("q3", SlowConsumerPolicy.DISCONNECT, null)));
    }

    @Test
    void onADropOldestChannelTheOldestQueuedFrameMakesRoom() {
        OutboundQueue queue = queue(2);
        socket.stalled = true;
        queue.offer(message("in flight", SlowConsumerPolicy.DROP_OLDEST, null));
        queue.offer(frame("reply"));
        queue.offer(message("q1", SlowConsumerPolicy.DROP_OLDEST, null));
        assertEquals(Offer.DROPPED_OLDEST, queue.offer(message("q2", SlowConsumerPolicy.DROP_OLDEST, null)));
        socket.complete();
        assertEquals(List.of("\"in flight\"", "\"reply\"", "\"q2\""), socket.written(), "the reply is never dropped");
    }

    @Test
    void onALatestPerKeyChannelANewerMessageReplacesTheQueuedOneWithTheSameKey() {
        OutboundQueue queue = queue(16);
        socket.stalled = true;
        queue.offer(message("AAPL=1", SlowConsumerPolicy.LATEST_PER_KEY, "AAPL"));
        queue.offer(message("AAPL=2", SlowConsumerPolicy.LATEST_PER_KEY, "AAPL"));
        queue.offer(message("MSFT=1", SlowConsumerPolicy.LATEST_PER_KEY, "MSFT"));
        assertEquals(Offer.REPLACED, queue.offer(message("AAPL=3", SlowConsumerPolicy.LATEST_PER_KEY, "AAPL")));
        assertEquals(2, queue.depth());
        socket.complete();
        assertEquals(List.of("\"AAPL=1\"", "\"AAPL=3\"", "\"MSFT=1\""), socket.written(),
                "the newest AAPL in the place of the one it replaced");
    }

    @Test
    void aFullQueueOfAClientThatReadsGrowsInsteadWhileTheNodeCatchesUp() {
        // The write in flight is recent (stall time one hour): the client reads, the node is behind.
        OutboundQueue queue = new OutboundQueue(2, 64 * 1024, TimeUnit.HOURS.toNanos(1), socket, Runnable::run, failed::set);
        socket.stalled = true;
        queue.offer(message("in flight", SlowConsumerPolicy.DISCONNECT, null));
        for (int i = 0; i < 8; i++) {
            assertEquals(Offer.QUEUED, queue.offer(message("m" + i, SlowConsumerPolicy.DISCONNECT, null)), "m" + i);
        }
        assertEquals(Offer.OVERLOADED, queue.offer(message("beyond", SlowConsumerPolicy.DISCONNECT, null)),
                "four times the capacity at most");
        socket.complete();
        assertEquals(9, socket.written().size(), "nothing lost");
    }

    @Test
    void aFailedWriteClosesTheQueueAndReportsIt() {
        OutboundQueue queue = new OutboundQueue(16, 64 * 1024, 0, (frames, done) -> done.accept(new IllegalStateException("reset")),
                Runnable::run, failed::set);
        queue.offer(frame("a"));
        assertEquals("reset", failed.get().getMessage());
        assertEquals(Offer.QUEUED, queue.offer(frame("b")), "a closed queue swallows frames");
        assertEquals(0, queue.depth());
    }

    @Test
    void aWriteThatCompletesSynchronouslyDoesNotRecurse() {
        OutboundQueue queue = queue(100_000);
        socket.stalled = true;
        queue.offer(frame("first"));
        for (int i = 0; i < 50_000; i++) {
            queue.offer(frame("f" + i));
        }
        socket.complete(); // the rest goes out in writes that complete inside write(): a loop, not a recursion
        assertEquals(50_001, socket.written().size());
    }

    @Test
    void concurrentProducersWithAsynchronousCompletionsLoseNothingAndKeepOrder() throws InterruptedException {
        ExecutorService completer = Executors.newSingleThreadExecutor();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int producers = 4;
        int perProducer = 5_000;
        CountDownLatch allSent = new CountDownLatch(producers * perProducer);
        OutboundQueue queue = new OutboundQueue(producers * perProducer, 64 * 1024, 0, (frames, done) -> {
            if (inFlight.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            completer.execute(() -> {
                frames.forEach(f -> {
                    sent.add(f.text());
                    allSent.countDown();
                });
                inFlight.decrementAndGet();
                done.accept(null);
            });
        }, writers, failed::set);
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            int id = p;
            pool.execute(() -> {
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(frame(id + ":" + i));
                }
            });
        }
        assertTrue(allSent.await(30, TimeUnit.SECONDS), "sent " + sent.size());
        assertEquals(0, overlaps.get(), "never more than one write in flight");
        for (int p = 0; p < producers; p++) {
            int last = -1;
            for (String frame : sent) {
                if (frame.startsWith("\"" + p + ":")) {
                    int n = Integer.parseInt(frame.substring(frame.indexOf(':') + 1, frame.length() - 1));
                    assertTrue(n > last, "each producer's frames go out in its order");
                    last = n;
                }
            }
            assertEquals(perProducer - 1, last);
        }
        pool.shutdownNow();
        writers.shutdownNow();
        completer.shutdownNow();
    }
}
