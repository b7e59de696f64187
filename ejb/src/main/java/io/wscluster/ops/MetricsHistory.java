package io.wscluster.ops;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.NodeInfo;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;

/**
 * Periodic snapshots of every node's key figures, shared through the replicated {@code history} cache
 * (node@timestamp -> {@link MetricsSnapshot}). Each entry lives for the window and then expires, so the
 * history never grows beyond window / interval snapshots per node.
 */
@ApplicationScoped
public class MetricsHistory {

    static final String CACHE = "history";

    @Inject
    ClusterCaches caches;

    @Inject
    Config config;

    private HistorySettings settings;
    private long lastRecorded;

    @PostConstruct
    void init() {
        settings = HistorySettings.from(config);
    }

    /** Called on every heartbeat; records one snapshot per interval. */
    public synchronized void offer(NodeInfo info) {
        if (info.lastHeartbeat() - lastRecorded < settings.intervalMillis() || !caches.isRunning()) {
            return;
        }
        lastRecorded = info.lastHeartbeat();
        MetricsSnapshot snapshot = new MetricsSnapshot(info.id(), info.lastHeartbeat(), info.connections(), info.subscriptions(),
                info.publishedPerSecond(), info.deliveredPerSecond(), info.latencyMicros());
        caches.<String, MetricsSnapshot>cache(CACHE).putAsync(info.id() + "@" + info.lastHeartbeat(), snapshot,
                settings.windowMillis(), TimeUnit.MILLISECONDS);
    }

    /** Snapshots newer than {@code since} (epoch ms), of one node or all (null), oldest first. */
    public List<MetricsSnapshot> since(long since, String node) {
        if (!caches.isRunning()) {
            return List.of();
        }
        return caches.<String, MetricsSnapshot>cache(CACHE).values().stream()
                .filter(s -> s.timestamp() > since && (node == null || node.equals(s.node())))
                .sorted(Comparator.comparingLong(MetricsSnapshot::timestamp).thenComparing(MetricsSnapshot::node))
                .toList();
    }
}
