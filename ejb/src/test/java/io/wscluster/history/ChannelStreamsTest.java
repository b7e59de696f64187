package io.wscluster.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.Priority;
import io.wscluster.cluster.TestCluster;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadOnlyMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channel streams on two real cache managers from the shipped Infinispan XML (JGroups TCP on 127.0.0.1):
 * appends from both run where the stream lives, so offsets stay contiguous; the stream outlives either node.
 */
class ChannelStreamsTest {

    private final TestCluster cluster = new TestCluster("streams-test", 7961, 2);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static FunctionalMap.ReadWriteMap<String, ChannelStream> writer(DefaultCacheManager manager) {
        Cache<String, ChannelStream> cache = manager.getCache(ChannelHistory.CACHE);
        return ReadWriteMapImpl.create(FunctionalMapImpl.create((AdvancedCache<String, ChannelStream>) cache.getAdvancedCache()));
    }

    private static FunctionalMap.ReadOnlyMap<String, ChannelStream> reader(DefaultCacheManager manager) {
        Cache<String, ChannelStream> cache = manager.getCache(ChannelHistory.CACHE);
        return ReadOnlyMapImpl.create(FunctionalMapImpl.create((AdvancedCache<String, ChannelStream>) cache.getAdvancedCache()));
    }

    /** Messages published at {@code now}, appended together at {@code now}. */
    private static Append append(List<String> ids, int size, long ttlMillis, long now) {
        List<StoredMessage> messages = ids.stream().map(id -> StoredMessage.of(
                new Message(id, "room.x", null, "\"" + id + "\"", now, Origin.REST, Priority.NORMAL, null, null, 0))).toList();
        return new Append("epoch-" + ids.get(0), messages, size, ttlMillis, now);
    }

    private static Append append(String id, int size, long ttlMillis, long now) {
        return append(List.of(id), size, ttlMillis, now);
    }

    @Test
    void appendsFromTwoNodesGetContiguousOffsetsAndTheStreamOutlivesEitherNode() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        DefaultCacheManager b = cluster.start(1, ChannelHistory.CACHE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Long> offsets = new CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> done = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int t = 0; t < 4; t++) {
            FunctionalMap.ReadWriteMap<String, ChannelStream> writer = writer(t % 2 == 0 ? a : b);
            int thread = t;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    offsets.addAll(writer.eval("room.x", append(thread + "-" + i, 1000, 60_000, now)).join().offsets());
                }
            }, pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(200, offsets.stream().distinct().count(), "every append got its own offset");
        assertEquals(200, offsets.stream().mapToLong(Long::longValue).max().orElseThrow(), "no gaps: 1 to 200");

        StreamSlice fromA = reader(a).eval("room.x", new ReadSince(195, 100, false)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(196L, 197L, 198L, 199L, 200L), fromA.messages().stream().map(StoredMessage::offset).toList());
        String epoch = fromA.epoch();

        // Either node may go: the other holds every message (two owners of two).
        cluster.stop(a);
        StreamSlice fromB = reader(b).eval("room.x", new ReadSince(0, 1000, false)).get(10, TimeUnit.SECONDS);
        assertEquals(200, fromB.messages().size());
        assertEquals(epoch, fromB.epoch());
        assertTrue(fromB.continues(epoch, 150));
    }

    @Test
    void aStreamKeepsItsWindowAndAnAbsentOneStartsANewEpoch() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        FunctionalMap.ReadWriteMap<String, ChannelStream> writer = writer(a);
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 10; i++) {
            writer.eval("room.x", append("m" + i, 3, 60_000, now)).get(10, TimeUnit.SECONDS);
        }
        StreamSlice slice = reader(a).eval("room.x", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(8L, 9L, 10L), slice.messages().stream().map(StoredMessage::offset).toList(), "the last three");
        assertEquals("epoch-m1", slice.epoch(), "the first append's epoch started the stream");
        assertTrue(slice.continues("epoch-m1", 7), "7 is just before the oldest held: nothing missed");
        assertFalse(slice.continues("epoch-m1", 6), "8 is the oldest held: 7 was dropped");
        assertFalse(slice.continues("another", 9), "another epoch: the stream started again since");
        StreamSlice latest = reader(a).eval("room.x", new ReadSince(0, 1, true)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(10L), latest.messages().stream().map(StoredMessage::offset).toList());

        // Messages older than the time to live are trimmed on the next append.
        writer.eval("room.y", append("old", 100, 10_000, now - 5_000)).get(10, TimeUnit.SECONDS);
        writer.eval("room.y", append("new", 100, 1_000, now)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(2L), reader(a).eval("room.y", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS)
                .messages().stream().map(StoredMessage::offset).toList());
        assertEquals(StreamSlice.NONE, reader(a).eval("room.none", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void anAppendRetriedAfterItWasAppliedKeepsItsPosition() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        FunctionalMap.ReadWriteMap<String, ChannelStream> writer = writer(a);
        long now = System.currentTimeMillis();
        Appended first = writer.eval("room.r", append(List.of("once", "twice"), 10, 60_000, now)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1L, 2L), first.offsets(), "a batch takes consecutive offsets, in its order");
        writer.eval("room.r", append("after", 10, 60_000, now)).get(10, TimeUnit.SECONDS);
        Appended again = writer.eval("room.r", append(List.of("once", "twice"), 10, 60_000, now)).get(10, TimeUnit.SECONDS);
        assertEquals(first, again, "as Infinispan retries a write after a topology change");
        assertEquals(List.of("once", "twice", "after"), reader(a).eval("room.r", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS)
                .messages().stream().map(StoredMessage::id).toList());
    }
}
