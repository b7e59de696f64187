package io.wscluster.cluster;

import io.wscluster.affinity.UserAffinity;
import io.wscluster.channel.ChannelSettings;
import io.wscluster.ops.MetricsSnapshot;
import io.wscluster.registry.NodeIdentity;
import io.wscluster.registry.NodeInfo;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.infinispan.Cache;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;

/**
 * This node's membership of the Infinispan cluster and the replicated caches it shares: started by the
 * node lifecycle, stopped with the application. View changes and merges become {@link MembershipChange} events.
 */
@ApplicationScoped
public class ClusterCaches {

    private static final Logger LOG = Logger.getLogger(ClusterCaches.class.getName());
    private static final long SLOW_CACHE_START_MILLIS = 5_000;

    @Inject
    NodeIdentity node;

    @Inject
    Config config;

    @Inject
    Event<MembershipChange> membershipChanges;

    /** The Infinispan configuration: a classpath resource or a file path. */
    @Inject
    @ConfigProperty(name = "wscluster.infinispan.config", defaultValue = "wscluster-infinispan.xml")
    String configLocation;

    private volatile DefaultCacheManager manager;

    /** Joins the cluster; blocks until this node is a member and the caches have their state. */
    public synchronized void start() throws IOException {
        if (manager != null) {
            return;
        }
        // MicroProfile Config (system properties, environment, properties files) fills the ${...} in the XML.
        Properties properties = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("wscluster.")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.setProperty(name, value));
            }
        }
        ClassLoader loader = ClusterCaches.class.getClassLoader();
        ConfigurationBuilderHolder holder = new ParserRegistry(loader, false, properties).parseFile(configLocation);
        holder.getGlobalConfigurationBuilder().classLoader(loader).transport().nodeName(node.id());
        long start = System.nanoTime();
        DefaultCacheManager started = new DefaultCacheManager(holder, true);
        try {
            started.addListener(new ViewListener());
            for (String cache : List.of("nodes", "affinity", "settings", "history")) {
                long cacheStart = System.nanoTime();
                started.getCache(cache); // start each now, so state transfer happens during start-up
                long millis = (System.nanoTime() - cacheStart) / 1_000_000;
                if (millis > SLOW_CACHE_START_MILLIS) {
                    LOG.warning(() -> String.format("Cache %s took %d ms to start (initial state transfer)", cache, millis));
                }
            }
        } catch (RuntimeException e) {
            // Leave nothing half-joined behind: a manager left running keeps its JGroups ports bound,
            // and every retry would then fail to bind them.
            started.stop();
            throw e;
        }
        manager = started;
        LOG.info(() -> String.format("Joined cluster %s as %s in %d ms; members %s", started.getClusterName(),
                node.id(), (System.nanoTime() - start) / 1_000_000, members()));
    }

    @PreDestroy
    public synchronized void stop() {
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

    public Cache<String, NodeInfo> nodes() {
        return running().getCache("nodes");
    }

    public Cache<String, UserAffinity> affinity() {
        return running().getCache("affinity");
    }

    public Cache<String, ChannelSettings> settings() {
        return running().getCache("settings");
    }

    public Cache<String, MetricsSnapshot> history() {
        return running().getCache("history");
    }

    /** The node ids in the current view; empty before start. */
    public List<String> members() {
        DefaultCacheManager current = manager;
        if (current == null || current.getMembers() == null) {
            return List.of();
        }
        return current.getMembers().stream().map(Address::toString).toList();
    }

    public boolean isCoordinator() {
        DefaultCacheManager current = manager;
        return current != null && current.isCoordinator();
    }

    private DefaultCacheManager running() {
        DefaultCacheManager current = manager;
        if (current == null) {
            throw new IllegalStateException("not a cluster member yet");
        }
        return current;
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
