package io.wscluster.balancer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.affinity.UserAffinity;
import io.wscluster.cluster.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.infinispan.Cache;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.factories.KnownComponentNames;
import org.infinispan.manager.DefaultCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The affinity cache on two real cache managers with the HAProxy map's listener on both: a reconnect storm's
 * burst of writes all lands on every copy and reaches the listener (an asynchronous listener's full queue
 * failed some of those writes, leaving the nodes disagreeing about where users are).
 */
class AffinityChangeListenerTest {

    private static final String CACHE = "affinity";
    private static final int USERS = 20_000;

    private final TestCluster cluster = new TestCluster("affinity-test", 7981, 2);

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aBurstOfWritesLandsEverywhereAndIsSeenByTheListeners() throws Exception {
        DefaultCacheManager a = cluster.start(0, CACHE);
        DefaultCacheManager b = cluster.start(1, CACHE);
        Cache<String, UserAffinity> onA = a.getCache(CACHE);
        Cache<String, UserAffinity> onB = b.getCache(CACHE);
        Set<String> seenOnA = ConcurrentHashMap.newKeySet();
        Set<String> seenOnB = ConcurrentHashMap.newKeySet();
        onA.addListener(new AffinityChangeListener(user -> seen(seenOnA, user)));
        onB.addListener(new AffinityChangeListener(user -> seen(seenOnB, user)));
        await(() -> a.getMembers().size() == 2 && b.getMembers().size() == 2, "the two nodes form a cluster");

        Map<String, UserAffinity> connects = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            connects.put("user-" + i, new UserAffinity("user-" + i, "node-a", 1, 1, false));
        }
        onA.putAllAsync(connects).get(); // as DefaultAffinityService writes a batch
        // Releases, run on Infinispan's non-blocking threads, as writes that waited for a topology change
        // (a node joining during the storm) go on: there a full listener queue is not waited out but fails.
        Executor nonBlocking = ComponentRegistry.of(onA).getComponent(Executor.class, KnownComponentNames.NON_BLOCKING_EXECUTOR);
        nonBlocking.execute(() -> connects.values().forEach(connected -> onA.replaceAsync(connected.user(), connected,
                new UserAffinity(connected.user(), "node-a", 1, 2, true))));

        // Replicated asynchronously, so each copy is awaited on its own; with the asynchronous listener some
        // writes never reached one copy or the other.
        await(() -> released(onA) == USERS, "every user written and released on a");
        await(() -> released(onB) == USERS, "every user written and released on b");
        await(() -> seenOnA.size() == USERS && seenOnB.size() == USERS, "both listeners saw every user");
    }

    /**
     * Takes a moment, as the listener's thread does on a node whose cores the storm saturates: that is when
     * an asynchronous listener's queue filled up and failed writes.
     */
    private static void seen(Set<String> seen, String user) {
        seen.add(user);
        LockSupport.parkNanos(50_000);
    }

    private static long released(Cache<String, UserAffinity> cache) {
        return cache.values().stream().filter(UserAffinity::released).count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(10);
        }
    }
}
