package io.wscluster.affinity;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.metrics.Metrics;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.schedule.CoalescedTask;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.infinispan.Cache;

/**
 * Affinity kept in the replicated {@code affinity} cache (user id -> {@link UserAffinity}); writes go
 * through the asynchronous API so connects never wait on peers.
 */
@ApplicationScoped
public class DefaultAffinityService implements AffinityService {

    private static final Logger LOG = Logger.getLogger(DefaultAffinityService.class.getName());

    static final String CACHE = "affinity";
    static final long BATCH_MILLIS = 20;
    private static final long RELEASE_RETRY_MILLIS = 500;
    private static final Long DISCONNECTED = -1L;

    @Inject
    ClusterCaches caches;

    @Inject
    LocalNode node;

    @Inject
    NodeRegistry registry;

    @Inject
    Metrics metrics;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private AffinitySettings settings;
    private NodeSelector selector;
    /** Users whose affinity is to be written: when they connected, or {@link #DISCONNECTED}. */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private CoalescedTask flushes;
    private volatile boolean failing;

    @PostConstruct
    void init() {
        flushes = new CoalescedTask(schedulers.shared(), BATCH_MILLIS, this::flush);
        settings = AffinitySettings.from(config);
        selector = NodeSelectors.named(settings.strategy()); // an unknown name fails the deployment, loudly
    }

    /**
     * Connects and disconnects are written in batches every {@value #BATCH_MILLIS} ms, in the order they
     * happened for each user: a reconnect storm (thousands of clients of a dead node at once) then costs a
     * few replicated writes, not one per user.
     */
    @Override
    public void connected(String user) {
        pending.put(user, System.currentTimeMillis());
        flushes.request();
    }

    @Override
    public void disconnected(String user) {
        // Connected and gone within one batch: nothing was written, nothing to release.
        pending.compute(user, (u, at) -> at != null && at > 0 ? null : DISCONNECTED);
        flushes.request();
    }

    /** One thread at a time: a user's connect and disconnect are never reordered. */
    private synchronized void flush() {
        if (!caches.isRunning()) {
            pending.clear();
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (String user : List.copyOf(pending.keySet())) {
            Long at = pending.remove(user);
            if (at != null) {
                batch.put(user, at);
            }
        }
        Map<String, UserAffinity> current = cache().getAdvancedCache().getAll(batch.keySet()); // local: replicated
        Map<String, UserAffinity> connects = new HashMap<>();
        for (Map.Entry<String, Long> change : batch.entrySet()) {
            String user = change.getKey();
            long at = change.getValue();
            try {
                UserAffinity existing = current.get(user);
                if (at < 0) {
                    if (existing != null && existing.nodeId().equals(node.id())) {
                        release(existing).whenComplete((replaced, failure) -> {
                            if (failure == null) {
                                succeeded();
                            } else {
                                retry(Map.of(user, DISCONNECTED), failure);
                            }
                        });
                    }
                    continue;
                }
                boolean continuing = existing != null && !existing.released() && existing.nodeId().equals(node.id());
                if (existing != null && !continuing) {
                    metrics.reconnect(!existing.nodeId().equals(node.id()));
                }
                connects.put(user, new UserAffinity(user, node.id(), continuing ? existing.connectedSince() : at, at, false));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not update the affinity of " + user + " (shutting down?)", e);
            }
        }
        if (!connects.isEmpty()) {
            cache().putAllAsync(connects).whenComplete((done, failure) -> {
                if (failure == null) {
                    succeeded();
                } else {
                    Map<String, Long> retried = new HashMap<>();
                    connects.keySet().forEach(user -> retried.put(user, batch.get(user)));
                    retry(retried, failure);
                }
            });
        }
    }

    /**
     * Queues failed writes again, unless the user changed again meanwhile (the newer change wins, as it
     * would have had the write succeeded): a lost connect would route the user's reconnect wrongly and
     * leave the cluster disagreeing about where the user is.
     */
    private void retry(Map<String, Long> changes, Throwable failure) {
        if (!caches.isRunning()) {
            return;
        }
        failed(changes.size(), failure);
        changes.forEach(pending::putIfAbsent);
        flushes.request();
    }

    /** Said once when writes start failing and once when they succeed again, not per batch. */
    private void failed(int users, Throwable failure) {
        if (!failing) {
            failing = true;
            LOG.warning(() -> "Writing the affinity of " + users + " users failed; retrying: " + failure);
        }
    }

    private void succeeded() {
        if (failing) {
            failing = false;
            LOG.info("Affinity writes succeed again");
        }
    }

    @Override
    public Optional<UserAffinity> lookup(String user) {
        return caches.isRunning() ? Optional.ofNullable(cache().get(user)) : Optional.empty();
    }

    @Override
    public Optional<NodeInfo> choose(String user) {
        List<NodeInfo> ready = registry.readyNodes();
        // A released entry still counts: it is kept precisely so that a reconnect goes back to the same node.
        Optional<UserAffinity> current = lookup(user);
        if (current.isPresent()) {
            Optional<NodeInfo> home = ready.stream().filter(n -> n.id().equals(current.get().nodeId())).findFirst();
            if (home.isPresent()) {
                return home;
            }
        }
        return selector.select(user, ready);
    }

    @Override
    public void moveTo(String user, String nodeId) {
        if (caches.isRunning()) {
            long now = System.currentTimeMillis();
            // Written before the client is told to go; the rebalancer's first wave waits for HAProxy's map to follow.
            cache().put(user, new UserAffinity(user, nodeId, now, now, true), settings.releasedTtlMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void releaseNode(String nodeId) {
        if (!caches.isRunning()) {
            return;
        }
        List<UserAffinity> held = cache().values().stream()
                .filter(a -> a.nodeId().equals(nodeId) && !a.released()).toList();
        if (held.isEmpty()) {
            return;
        }
        CompletableFuture.allOf(held.stream().map(this::release).toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> {
                    if (failure == null) {
                        succeeded();
                    } else if (caches.isRunning()) {
                        // Idempotent: what was released is skipped, what changed meanwhile is left alone.
                        failed(held.size(), failure);
                        schedulers.shared().schedule(() -> releaseNode(nodeId), RELEASE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    }
                });
        LOG.info(() -> "Releasing " + held.size() + " users of node " + nodeId);
    }

    @Override
    public void reconcile(Map<String, Long> usersHere) {
        if (!caches.isRunning()) {
            return;
        }
        Map<String, Long> settled = new HashMap<>(usersHere);
        settled.keySet().removeIf(pending::containsKey);
        Cache<String, UserAffinity> cache = cache();
        Map<String, UserAffinity> entries = cache.getAdvancedCache().getAll(settled.keySet()); // local: replicated
        List<UserAffinity> claimingMe = cache.values().stream()
                .filter(a -> a.nodeId().equals(node.id()) && !a.released() && !pending.containsKey(a.user())).toList();
        Set<String> ready = registry.readyNodes().stream().map(NodeInfo::id).collect(Collectors.toSet());
        long now = System.currentTimeMillis();
        AffinityRepair repair = AffinityRepair.plan(node.id(), settled, entries, claimingMe, ready, now);
        if (repair.isEmpty()) {
            return;
        }
        LOG.info(() -> "Affinity repaired: " + repair.claims().size() + " users connected here written as this node's, "
                + repair.releases().size() + " gone from here released");
        claim(repair.claims(), entries, now);
        repair.releases().forEach(this::release);
    }

    @Override
    public void reassert(Map<String, Long> usersHere) {
        if (!caches.isRunning()) {
            return;
        }
        Set<String> users = new HashSet<>(usersHere.keySet());
        users.removeIf(pending::containsKey);
        claim(users, cache().getAdvancedCache().getAll(users), System.currentTimeMillis());
        LOG.info(() -> "Affinity of the " + users.size() + " users connected here written again after a merge");
    }

    /** Writes the users as this node's; nothing to retry on failure: the next round finds what is still wrong. */
    private void claim(Set<String> users, Map<String, UserAffinity> entries, long now) {
        Map<String, UserAffinity> claims = new HashMap<>();
        for (String user : users) {
            UserAffinity entry = entries.get(user);
            long since = entry != null && entry.nodeId().equals(node.id()) ? entry.connectedSince() : now;
            claims.put(user, new UserAffinity(user, node.id(), since, now, false));
        }
        cache().putAllAsync(claims);
    }

    @Override
    public String strategy() {
        return settings.strategy();
    }

    /**
     * Marks the entry released only if it is still the one read: the user may have connected to another
     * node meanwhile (after a crash, its clients are back elsewhere before the coordinator releases the
     * dead node's users), and that newer entry must win.
     */
    private CompletableFuture<Boolean> release(UserAffinity affinity) {
        return cache().replaceAsync(affinity.user(), affinity, new UserAffinity(affinity.user(), affinity.nodeId(),
                affinity.connectedSince(), System.currentTimeMillis(), true), settings.releasedTtlMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Cache<String, UserAffinity> cache() {
        return caches.cache(CACHE);
    }
}
