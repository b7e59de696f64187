package io.wscluster.lifecycle;

import io.wscluster.affinity.AffinityService;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.metrics.Metrics;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The coordinator's clean-up of the registry: a node that left the view is removed at once, entries of
 * nodes that did not survive a partition are removed when the views merge, and an entry whose heartbeat
 * went stale is removed as a backstop; the users of every removed node are released. Only the coordinator
 * acts, and not just after it woke from a standstill (any node takes over when it dies).
 */
@ApplicationScoped
public class RegistryJanitor {

    private static final Logger LOG = Logger.getLogger(RegistryJanitor.class.getName());

    @Inject
    LocalNode node;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry registry;

    @Inject
    AffinityService affinity;

    @Inject
    Metrics metrics;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private LifecycleSettings settings;

    @PostConstruct
    void init() {
        settings = LifecycleSettings.from(config);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        schedulers.shared().scheduleWithFixedDelay(this::removeStaleNodes, settings.heartbeatMillis(),
                settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
    }

    void onMembershipChange(@Observes MembershipChange change) {
        if (!change.coordinator() || !caches.leadsView()) {
            return; // a just-woken node's removals would land in the cluster once the views merge
        }
        for (String gone : change.left()) {
            remove(gone, "left-view", "left the cluster view");
        }
        if (change.merged()) {
            // After a partition heals, entries of nodes that did not survive on either side are stale.
            registry.nodes().stream().map(NodeInfo::id).filter(id -> !change.members().contains(id)).toList()
                    .forEach(id -> remove(id, "merge", "not in the merged view"));
        }
    }

    private void removeStaleNodes() {
        try {
            if (!caches.leadsView()) {
                return;
            }
            long now = System.currentTimeMillis();
            List<String> members = caches.members();
            registry.nodes().stream()
                    .filter(n -> !n.id().equals(node.id()) && stale(n, members.contains(n.id()), now))
                    .toList()
                    .forEach(n -> remove(n.id(), "stale", "heartbeat stale since " + n.lastHeartbeat()));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Stale-node check failed; next round retries", e);
        }
    }

    /**
     * An entry whose node is not in the view is stale after {@code stale-after-ms}. One whose node is in
     * the view (JGroups hears from it) gets ten times as long: under a storm of work a node heartbeats
     * late, and removing it would cut all its clients off (the load balancer follows the registry).
     */
    private boolean stale(NodeInfo entry, boolean inView, long now) {
        long age = now - entry.lastHeartbeat();
        return age > settings.staleAfterMillis() * (inView ? 10 : 1);
    }

    private void remove(String id, String reason, String detail) {
        if (registry.remove(id)) {
            metrics.nodeRemoved(reason);
            LOG.warning(() -> "Removed node " + id + " from the registry: " + detail);
        }
        affinity.releaseNode(id);
    }
}
