package io.wscluster.presence;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.cluster.TestCluster;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The presence cache on two real cache managers: a leave reaches every copy of the entry, also one the key's
 * primary owner does not hold (copies that went different ways in a partition), or that copy stays a ghost.
 */
class PresenceRemovalTest {

    private final TestCluster cluster = new TestCluster("presence-test", 7971, 2);

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aLeaveRemovesACopyTheKeysPrimaryOwnerDoesNotHold() throws Exception {
        DefaultCacheManager a = cluster.start(0, ChannelPresence.CACHE);
        DefaultCacheManager b = cluster.start(1, ChannelPresence.CACHE);
        Cache<String, PresenceEntry> onA = a.getCache(ChannelPresence.CACHE);
        AdvancedCache<String, PresenceEntry> onBOnly = b.<String, PresenceEntry>getCache(ChannelPresence.CACHE)
                .getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL);
        await(() -> onBOnly.getDistributionManager().getCacheTopology().getMembers().size() == 2, "the two nodes form a cluster");
        String key = keyWhosePrimaryIs(onBOnly, a);

        onBOnly.put(key, new PresenceEntry("u", "c1", "node-b", 1));
        assertNull(onA.get(key), "only b's copy holds the entry");

        ChannelPresence.removing(b.getCache(ChannelPresence.CACHE)).removeAsync(key).get();
        await(() -> !onBOnly.containsKey(key), "b's copy removed by the remove a ran as primary owner");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(10);
        }
    }

    /** A key whose primary owner is {@code primary}; its segment is that of the key as stored (protostream bytes). */
    private static String keyWhosePrimaryIs(AdvancedCache<String, ?> cache, DefaultCacheManager primary) {
        var topology = cache.getDistributionManager().getCacheTopology();
        for (int i = 0; ; i++) {
            String key = "room.presence conn-" + i;
            if (topology.getDistribution(cache.getKeyDataConversion().toStorage(key)).primary().equals(primary.getAddress())) {
                return key;
            }
        }
    }
}
