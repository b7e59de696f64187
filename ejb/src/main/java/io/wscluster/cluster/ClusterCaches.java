package io.wscluster.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.infinispan.Cache;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.ClusterExecutor;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;

/**
 * This node's membership of the Infinispan cluster and the caches it shares, by name: started by the node
 * lifecycle, stopped with the application. View changes and merges become {@link MembershipChange} events.
 * Each domain owns its caches (their names, what they hold); this class knows none of them.
 */
@ApplicationScoped
public class ClusterCaches {

    private static final Logger LOG = Logger.getLogger(ClusterCaches.class.getName());
    private static final long SLOW_CACHE_START_MILLIS = 5_000;

    @Inject
    Config config;

    @Inject
    Event<MembershipChange> membershipChanges;

    private volatile DefaultCacheManager manager;
    private ClusterSettings settings;
    private final Map<String, Object> services = new ConcurrentHashMap<>();
    /** Failure detection suspects a silent node after about 3 s; a merge takes 2-5 s more. */
    private final PauseDetector pauses = new PauseDetector(3_000, 15_000);

    @PostConstruct
    void init() {
        settings = ClusterSettings.from(config);
        pauses.start();
    }

    /**
     * Joins the cluster as {@code nodeName} and starts every cache the configuration defines; blocks until
     * this node is a member and the caches have their state.
     */
    public synchronized void start(String nodeName) throws IOException {
        if (manager != null) {
            return;
        }
        ClassLoader loader = ClusterCaches.class.getClassLoader();
        ConfigurationBuilderHolder holder = new ParserRegistry(loader, false, settings.xmlProperties())
                .parseFile(settings.infinispanConfig());
        holder.getGlobalConfigurationBuilder().classLoader(loader).transport().nodeName(nodeName);
        long start = System.nanoTime();
        DefaultCacheManager started = new DefaultCacheManager(holder, true);
        try {
            started.addListener(new ViewListener());
            for (String cache : holder.getNamedConfigurationBuilders().keySet()) {
                startCache(started, cache); // now, so state transfer happens during start-up
            }
        } catch (RuntimeException e) {
            // Leave nothing half-joined behind: a manager left running keeps its JGroups ports bound,
            // and every retry would then fail to bind them.
            started.stop();
            throw e;
        }
        services.forEach((name, service) -> GlobalComponentRegistry.of(started).registerComponent(service, name));
        manager = started;
        LOG.info(() -> String.format("Joined cluster %s as %s in %d ms; members %s", started.getClusterName(),
                nodeName, (System.nanoTime() - start) / 1_000_000, members()));
    }

    /**
     * Makes a service of this node's reachable by name from the functions other nodes run here through the
     * cluster executor ({@link #executor}): they are handed the cache manager, not the application.
     * Registered with the manager now if it runs, and at every start.
     */
    public void provide(String name, Object service) {
        services.put(name, service);
        DefaultCacheManager current = manager;
        if (current != null) {
            GlobalComponentRegistry.of(current).registerComponent(service, name);
        }
    }

    /** A service this node {@linkplain #provide provided}, for a function another node runs here; null if none. */
    public static <T> T provided(EmbeddedCacheManager manager, String name) {
        return GlobalComponentRegistry.of(manager).getComponent(name);
    }

    /** Runs functions on the members (this one's included); fails before this node has joined. */
    public ClusterExecutor executor() {
        DefaultCacheManager current = manager;
        if (current == null) {
            throw new IllegalStateException("not a cluster member yet");
        }
        return current.executor();
    }

    private static void startCache(DefaultCacheManager manager, String cache) {
        long start = System.nanoTime();
        manager.getCache(cache);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > SLOW_CACHE_START_MILLIS) {
            LOG.warning(() -> String.format("Cache %s took %d ms to start (initial state transfer)", cache, millis));
        }
    }

    @PreDestroy
    public synchronized void stop() {
        pauses.stop();
        if (manager != null) {
            try {
                manager.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Stopping the cache manager failed", e);
            }
            manager = null;
        }
    }

    public boolean isRunning() {
        DefaultCacheManager current = manager;
        return current != null && current.getStatus().allowInvocations();
    }

    /** A cache the configuration defines; fails before this node has joined. */
    public <K, V> Cache<K, V> cache(String name) {
        DefaultCacheManager current = manager;
        if (current == null) {
            throw new IllegalStateException("not a cluster member yet");
        }
        return current.getCache(name);
    }

    /** The node names in the current view; empty before start. */
    public List<String> members() {
        DefaultCacheManager current = manager;
        if (current == null || current.getMembers() == null) {
            return List.of();
        }
        return current.getMembers().stream().map(Address::toString).toList();
    }

    /** How many nodes this node's view holds; 0 before it has joined. */
    public int viewSize() {
        DefaultCacheManager current = manager;
        return current == null || current.getMembers() == null ? 0 : current.getMembers().size();
    }

    /**
     * Whether any cache this node runs is moving entries between owners (a node joined or left): a rolling
     * restart waits until no node is, so that no stream loses its last copy.
     */
    public boolean rebalancing() {
        DefaultCacheManager current = manager;
        if (current == null) {
            return false;
        }
        for (String name : current.getCacheNames()) {
            if (current.isRunning(name)) {
                @SuppressWarnings("deprecation") // the topology's phase says the same with more ceremony
                DistributionManager distribution = current.getCache(name).getAdvancedCache().getDistributionManager();
                if (distribution != null && distribution.isRehashInProgress()) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean isCoordinator() {
        DefaultCacheManager current = manager;
        return current != null && current.isCoordinator();
    }

    /** The quorum ({@code wscluster.health.min-members}) a view must hold. */
    public int quorum() {
        return settings.quorum();
    }

    /** Whether this node's view holds the quorum: a node cut off from the rest does not. */
    public boolean hasQuorum() {
        return settings.quorate(viewSize());
    }

    /**
     * Whether this node acts for the cluster (keeps the registry, drives HAProxy): the coordinator of a view
     * that holds the quorum, and not just woken from a standstill. A node cut off from the others
     * coordinates a view of one and may still reach HAProxy; it must not tell it that everyone else is gone,
     * nor, woken after the others dropped it, remove them from the registry it shares again moments later.
     */
    public boolean actsForCluster() {
        return leadsView() && hasQuorum();
    }

    /**
     * Whether this node is the coordinator of its view and has not just woken from a standstill: woken, its
     * view is one the others changed long ago, and what it did on it would land in the cluster once the
     * views merge.
     */
    public boolean leadsView() {
        return isCoordinator() && !pauses.recentlyPaused();
    }

    /** Infinispan calls it on its own threads (sync = false keeps JGroups' threads free). */
    @Listener(sync = false)
    public class ViewListener {

        @ViewChanged
        public void viewChanged(ViewChangedEvent event) {
            publish(event, false);
        }

        // A merge after a partition heals is not reported as a view change.
        @Merged
        public void merged(MergeEvent event) {
            publish(event, true);
        }

        private void publish(ViewChangedEvent event, boolean merged) {
            List<String> now = event.getNewMembers().stream().map(Address::toString).toList();
            List<String> before = event.getOldMembers().stream().map(Address::toString).toList();
            List<String> left = before.stream().filter(m -> !now.contains(m)).toList();
            List<String> joined = now.stream().filter(m -> !before.contains(m)).toList();
            LOG.info(() -> (merged ? "Merged view " : "View ") + now + (left.isEmpty() ? "" : "; left " + left)
                    + (joined.isEmpty() ? "" : "; joined " + joined));
            try {
                membershipChanges.fire(new MembershipChange(now, left, joined, merged, isCoordinator()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handling the view change failed", e);
            }
        }
    }
}
