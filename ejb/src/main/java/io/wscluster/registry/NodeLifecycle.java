package io.wscluster.registry;

import io.wscluster.affinity.AffinityService;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.ops.MetricsHistory;
import io.wscluster.ops.NodeMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Takes this node through its lifecycle: joins the cluster, registers, loads the shared channel
 * configuration, becomes READY, heartbeats every {@code wscluster.registry.heartbeat-ms}, and on
 * shutdown goes DRAINING and deregisters. The coordinator also removes nodes that left the view or
 * whose heartbeat went stale, and releases their users' affinity.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NodeLifecycle {

    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** Channels each node reports in its registry entry, busiest first. */
    private static final int TOP_CHANNELS = 20;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeIdentity node;

    @Inject
    NodeMetrics metrics;

    @Inject
    LocalLoad load;

    @Inject
    ChannelCatalog channels;

    @Inject
    AffinityService affinity;

    @Inject
    MetricsHistory history;

    @Inject
    Event<Draining> drainings;

    /** How long a drain may take before the node exits with clients still connected. */
    @Inject
    @ConfigProperty(name = "wscluster.drain.deadline-ms", defaultValue = "30000")
    long drainDeadlineMillis;

    @Resource
    TimerService timers;

    @Inject
    @ConfigProperty(name = "wscluster.registry.heartbeat-ms", defaultValue = "1000")
    long heartbeatMillis;

    /** A node whose last heartbeat is older than this is removed even if still in the view. */
    @Inject
    @ConfigProperty(name = "wscluster.registry.stale-after-ms", defaultValue = "5000")
    long staleAfterMillis;

    /** This node's HTTP base URL as clients and other nodes reach it, e.g. http://127.0.0.1:8080. */
    @Inject
    @ConfigProperty(name = "wscluster.node.url")
    Optional<String> url;

    @Inject
    @ConfigProperty(name = "wscluster.node.weight", defaultValue = "100")
    int weight;

    private volatile NodeState state = NodeState.STARTING;
    private volatile boolean stopping;
    private volatile long lastTimerRunMillis = System.currentTimeMillis();
    private final long startedAt = System.currentTimeMillis();
    private long lastPublished;
    private long lastDelivered;
    private long[] lastLatency = {0, 0};
    private long lastBeatNanos = System.nanoTime();
    private long backoffMillis;
    private long retryAtMillis;

    @PostConstruct
    void start() {
        try {
            caches.start();
            moveTo(NodeState.REGISTERING);
            moveTo(NodeState.ACTIVE);
            moveTo(NodeState.LOADING_CHANNELS);
            channels.adoptClusterSettings();
            moveTo(NodeState.READY);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Could not join the cluster or register; retrying with backoff", e);
            disconnected();
        }
        timers.createIntervalTimer(heartbeatMillis, heartbeatMillis, new TimerConfig(null, false));
    }

    @PreDestroy
    void stop() {
        stopping = true;
        state = NodeState.DRAINING;
        try {
            if (caches.isRunning()) {
                write(snapshot());
                caches.nodes().remove(node.id());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Deregistration failed; the others will notice the view change", e);
        }
    }

    @Timeout
    void heartbeat() {
        lastTimerRunMillis = System.currentTimeMillis();
        if (stopping) {
            return;
        }
        if (state == NodeState.DISCONNECTED) {
            if (System.currentTimeMillis() < retryAtMillis) {
                return;
            }
            try {
                caches.start();
                channels.adoptClusterSettings();
                moveTo(NodeState.READY);
                backoffMillis = 0;
                LOG.info("Registered again after being disconnected");
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Registration retry failed: " + e);
                disconnected();
            }
            return;
        }
        try {
            NodeInfo info = snapshot();
            write(info);
            history.offer(info);
            if (caches.isCoordinator()) {
                removeStaleNodes();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat could not be written; node is DISCONNECTED", e);
            disconnected();
        }
    }

    /** Members that left the view are removed at once, by the coordinator of the new view. */
    public void onMembershipChange(@Observes MembershipChange change) {
        if (!change.coordinator()) {
            return;
        }
        for (String gone : change.left()) {
            remove(gone, "left-view", "left the cluster view");
        }
        if (change.merged()) {
            // After a partition heals, entries of nodes that did not survive on either side are stale.
            caches.nodes().keySet().stream().filter(id -> !change.members().contains(id)).toList()
                    .forEach(id -> remove(id, "merge", "not in the merged view"));
        }
    }

    public NodeState state() {
        return state;
    }

    /**
     * Starts draining: the node goes DRAINING (readiness DOWN, no new clients) and its clients are moved
     * away (observers of {@link Draining}); it exits once they are gone or the deadline passes.
     *
     * @return false if it was draining already
     */
    public synchronized boolean drain() {
        if (state == NodeState.DRAINING) {
            return false;
        }
        state = NodeState.DRAINING;
        try {
            write(snapshot());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not publish the DRAINING state; draining anyway", e);
        }
        LOG.info(() -> "Node " + node.id() + " is DRAINING");
        drainings.fire(new Draining(System.currentTimeMillis() + drainDeadlineMillis));
        return true;
    }

    /** The clients are gone (or the deadline passed): stop the process, which deregisters the node on the way out. */
    public void drained() {
        LOG.info(() -> "Node " + node.id() + " drained; exiting");
        // Not on the caller's thread: exit waits for shutdown hooks, which wait for application threads.
        Thread exit = new Thread(() -> System.exit(0), "wscluster-drained-exit");
        exit.start();
    }

    /** How long ago the heartbeat timer last ran: a stuck timer means a node that no longer keeps its registration. */
    public long heartbeatAgeMillis() {
        return System.currentTimeMillis() - lastTimerRunMillis;
    }

    public long heartbeatMillis() {
        return heartbeatMillis;
    }

    private void moveTo(NodeState next) {
        state = next;
        write(snapshot());
        LOG.info(() -> "Node " + node.id() + " is " + next);
    }

    private void write(NodeInfo info) {
        caches.nodes().put(info.id(), info);
    }

    private void disconnected() {
        state = NodeState.DISCONNECTED;
        backoffMillis = backoffMillis == 0 ? heartbeatMillis : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        retryAtMillis = System.currentTimeMillis() + backoffMillis;
    }

    private void removeStaleNodes() {
        long cutoff = System.currentTimeMillis() - staleAfterMillis;
        caches.nodes().values().stream()
                .filter(n -> n.lastHeartbeat() < cutoff && !n.id().equals(node.id()))
                .toList()
                .forEach(n -> remove(n.id(), "stale", "heartbeat stale since " + n.lastHeartbeat()));
    }

    private void remove(String id, String reason, String detail) {
        if (caches.nodes().remove(id) != null) {
            metrics.nodeRemoved(reason);
            LOG.warning(() -> "Removed node " + id + " from the registry: " + detail);
        }
        affinity.releaseNode(id);
    }

    private synchronized NodeInfo snapshot() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastBeatNanos) / 1e9);
        long published = metrics.publishedTotal();
        long delivered = metrics.deliveredTotal();
        long[] latency = metrics.remoteLatencyTotals();
        long arrivals = latency[1] - lastLatency[1];
        long latencyMicros = arrivals == 0 ? 0 : (latency[0] - lastLatency[0]) / arrivals;
        NodeInfo info = new NodeInfo(node.id(), node.id(), url.orElse(""), url.map(u -> u.replaceFirst("^http", "ws") + "/ws").orElse(""),
                state, load.connections(), load.subscriptions(), (published - lastPublished) / seconds,
                (delivered - lastDelivered) / seconds, startedAt, System.currentTimeMillis(), weight, latencyMicros,
                load.topChannels(TOP_CHANNELS));
        lastBeatNanos = now;
        lastPublished = published;
        lastDelivered = delivered;
        lastLatency = latency;
        return info;
    }
}
