package io.wscluster.ops;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.NodeInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Periodic snapshots of every node's key figures, shared through the replicated {@code history} cache.
 * Each entry lives for the window and then expires, so the history never grows beyond
 * window / interval snapshots per node.
 */
@ApplicationScoped
public class MetricsHistory {

    @Inject
    ClusterCaches caches;

    @Inject
    @ConfigProperty(name = "wscluster.history.interval-ms", defaultValue = "10000")
    long intervalMillis;

    @Inject
    @ConfigProperty(name = "wscluster.history.window-ms", defaultValue = "10800000")
    long windowMillis;

    private long lastRecorded;

    /** Called on every heartbeat; records one snapshot per interval. */
    public synchronized void offer(NodeInfo info) {
        if (info.lastHeartbeat() - lastRecorded < intervalMillis || !caches.isRunning()) {
            return;
        }
        lastRecorded = info.lastHeartbeat();
        MetricsSnapshot snapshot = new MetricsSnapshot(info.id(), info.lastHeartbeat(), info.connections(), info.subscriptions(),
                info.publishedPerSecond(), info.deliveredPerSecond(), info.latencyMicros());
        caches.history().putAsync(info.id() + "@" + info.lastHeartbeat(), snapshot, windowMillis, TimeUnit.MILLISECONDS);
    }

    /** Snapshots newer than {@code since} (epoch ms), of one node or all (null), oldest first. */
    public List<MetricsSnapshot> since(long since, String node) {
        if (!caches.isRunning()) {
            return List.of();
        }
        return caches.history().values().stream()
                .filter(s -> s.timestamp() > since && (node == null || node.equals(s.node())))
                .sorted(Comparator.comparingLong(MetricsSnapshot::timestamp).thenComparing(MetricsSnapshot::node))
                .toList();
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long windowMillis() {
        return windowMillis;
    }
}
