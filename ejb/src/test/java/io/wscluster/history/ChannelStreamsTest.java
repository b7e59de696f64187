package io.wscluster.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.Priority;
import io.wscluster.cluster.TestCluster;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadOnlyMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.topology.CacheTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channel streams on real cache managers from the shipped Infinispan XML (JGroups TCP on 127.0.0.1): appends
 * from several nodes get contiguous offsets, the stream outlives either owner, and its copies stay equal while
 * nodes come and go.
 */
class ChannelStreamsTest {

    private static final int CHANNELS = 16;
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

    /**
     * Messages published at {@code publishedAt}, appended together from {@code manager} as {@link ChannelHistory}
     * does: at the stream's primary, sent there from any other node.
     */
    private static CompletableFuture<Appended> append(DefaultCacheManager manager, String channel, List<String> ids, int size,
            long ttlMillis, long publishedAt) {
        Cache<String, ChannelStream> cache = manager.getCache(ChannelHistory.CACHE);
        return new PrimaryAppend(channel, "epoch-" + ids.get(0), messages(channel, ids, publishedAt), size, ttlMillis, 10_000)
                .appendFrom(cache.getAdvancedCache(), writer(manager));
    }

    private static List<StoredMessage> messages(String channel, List<String> ids, long publishedAt) {
        return ids.stream().map(id -> StoredMessage.of(new Message(id, channel, null, "\"" + id + "\"", publishedAt, Origin.REST,
                Priority.NORMAL, null, null, 0))).toList();
    }

    private static Appended append(DefaultCacheManager manager, String channel, String id, int size, long ttlMillis, long publishedAt)
            throws Exception {
        return append(manager, channel, List.of(id), size, ttlMillis, publishedAt).get(10, TimeUnit.SECONDS);
    }

    /** A publish refused for time must not be stored after all: past its deadline an append writes nothing. */
    @Test
    void anAppendPastItsDeadlineWritesNothing() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        Cache<String, ChannelStream> cache = a.getCache(ChannelHistory.CACHE);
        StreamAppend append = new StreamAppend(cache.getAdvancedCache(), writer(a), "late", "epoch-late",
                messages("late", List.of("late-1"), System.currentTimeMillis()), 10, 60_000, -1);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> append.start().get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertNull(cache.get("late"), "nothing stored");
    }

    /** One node is the stream's primary and appends there; the other sends its batches to it (a {@link PrimaryAppend}). */
    @Test
    void appendsFromTwoNodesGetContiguousOffsetsAndTheStreamOutlivesEitherNode() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        DefaultCacheManager b = cluster.start(1, ChannelHistory.CACHE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Long> offsets = new CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> done = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int t = 0; t < 4; t++) {
            DefaultCacheManager source = t % 2 == 0 ? a : b;
            int thread = t;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    offsets.addAll(append(source, "room.x", List.of(thread + "-" + i), 1000, 60_000, now).join().offsets());
                }
            }, pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(200, offsets.stream().distinct().count(), "every append got its own offset");
        assertEquals(200, offsets.stream().mapToLong(Long::longValue).max().orElseThrow(), "no gaps: 1 to 200");
        assertEquals(a.getCache(ChannelHistory.CACHE).getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get("room.x"),
                b.getCache(ChannelHistory.CACHE).getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get("room.x"), "both owners hold the same stream");

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
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 10; i++) {
            append(a, "room.x", "m" + i, 3, 60_000, now);
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
        append(a, "room.y", "old", 100, 10_000, now - 5_000);
        append(a, "room.y", "new", 100, 1_000, now);
        assertEquals(List.of(2L), reader(a).eval("room.y", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS)
                .messages().stream().map(StoredMessage::offset).toList());
        assertEquals(StreamSlice.NONE, reader(a).eval("room.none", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void anAppendRetriedAfterItWasAppliedKeepsItsPosition() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelHistory.CACHE);
        long now = System.currentTimeMillis();
        Appended first = append(a, "room.r", List.of("once", "twice"), 10, 60_000, now).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1L, 2L), first.offsets(), "a batch takes consecutive offsets, in its order");
        append(a, "room.r", "after", 10, 60_000, now);
        Appended again = append(a, "room.r", List.of("once", "twice"), 10, 60_000, now).get(10, TimeUnit.SECONDS);
        assertEquals(first, again, "as Infinispan retries a write after a topology change");
        assertEquals(List.of("once", "twice", "after"), reader(a).eval("room.r", new ReadSince(0, 100, false)).get(10, TimeUnit.SECONDS)
                .messages().stream().map(StoredMessage::id).toList());
    }

    /**
     * Nodes joining and leaving while two others append to 16 streams: both owners of every stream end up
     * holding the same stream, and every acknowledged message is where its publisher was told. (With an
     * append run as a function on each owner, most runs ended with a few streams whose copies disagreed.)
     */
    @Test
    void underMembershipChangesTheOwnersOfEveryStreamAgreeAndAcknowledgedPositionsHold() throws Exception {
        TestCluster four = new TestCluster("streams-churn", 7971, 4);
        try {
            DefaultCacheManager a = four.start(0, ChannelHistory.CACHE);
            DefaultCacheManager b = four.start(1, ChannelHistory.CACHE);
            AtomicBoolean running = new AtomicBoolean(true);
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<CompletableFuture<?>> writers = new ArrayList<>();
            for (DefaultCacheManager source : List.of(a, b)) {
                String name = source.getAddress().toString();
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; running.get() && i < 20_000; i++) {
                        List<CompletableFuture<Void>> round = new ArrayList<>();
                        for (int channel = 0; channel < CHANNELS; channel++) {
                            String id = name + "-" + i + "-" + channel;
                            round.add(append(source, "room." + channel, List.of(id), 50, 60_000, System.currentTimeMillis())
                                    .thenAccept(appended -> acknowledged.put(id, appended.offsets().get(0)))
                                    .exceptionally(e -> null)); // failed while its owners changed: not acknowledged
                        }
                        round.forEach(CompletableFuture::join);
                    }
                }, pool));
            }
            List<DefaultCacheManager> nodes = new ArrayList<>(List.of(a, b));
            nodes.add(four.start(2, ChannelHistory.CACHE));
            awaitSettled(nodes);
            nodes.add(four.start(3, ChannelHistory.CACHE));
            awaitSettled(nodes);
            four.stop(nodes.remove(2));
            awaitSettled(nodes);
            nodes.add(2, four.start(2, ChannelHistory.CACHE));
            awaitSettled(nodes);
            running.set(false);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertTrue(acknowledged.size() > 1000, "appends went on throughout: " + acknowledged.size());

            for (int channel = 0; channel < CHANNELS; channel++) {
                String key = "room." + channel;
                List<ChannelStream> copies = new ArrayList<>();
                for (DefaultCacheManager node : nodes) {
                    AdvancedCache<String, ChannelStream> cache = node.<String, ChannelStream>getCache(ChannelHistory.CACHE).getAdvancedCache();
                    if (cache.getDistributionManager().getCacheTopology().getDistribution(key).isWriteOwner()) {
                        copies.add(cache.withFlags(Flag.CACHE_MODE_LOCAL).get(key));
                    }
                }
                assertEquals(2, copies.size(), key + " has two owners");
                assertEquals(positions(copies.get(0)), positions(copies.get(1)), key + ": both owners hold the same stream");
                for (StoredMessage held : copies.get(0).messages()) {
                    Long given = acknowledged.get(held.id());
                    assertTrue(given == null || given == held.offset(), held.id() + " acknowledged at " + given + ", held at " + held.offset());
                }
                assertEquals(copies.get(0).messages().size(), copies.get(0).messages().stream().map(StoredMessage::id).distinct().count(),
                        key + " holds no message twice");
            }
        } finally {
            four.close();
        }
    }

    /** A stream as its positions: epoch, then each held message as offset=id. */
    private static String positions(ChannelStream stream) {
        return stream == null ? "none" : stream.epoch() + " " + stream.messages().stream().map(m -> m.offset() + "=" + m.id()).toList();
    }

    /** Waits until every node has the same settled topology of all of them (Infinispan has no future for a rebalance's end). */
    private static void awaitSettled(List<DefaultCacheManager> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!settled(nodes)) {
            assertTrue(System.nanoTime() < deadline, "the streams settle on " + nodes.size() + " nodes");
            Thread.sleep(20);
        }
    }

    private static boolean settled(List<DefaultCacheManager> nodes) {
        Set<Integer> topologies = new HashSet<>();
        for (DefaultCacheManager node : nodes) {
            CacheTopology topology = node.getCache(ChannelHistory.CACHE).getAdvancedCache().getDistributionManager().getCacheTopology();
            if (topology.getPhase() != CacheTopology.Phase.NO_REBALANCE || topology.getMembers().size() != nodes.size()) {
                return false;
            }
            topologies.add(topology.getTopologyId());
        }
        return topologies.size() == 1;
    }
}
