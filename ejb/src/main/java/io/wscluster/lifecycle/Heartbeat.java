package io.wscluster.lifecycle;

import io.wscluster.hub.Hub;
import io.wscluster.metrics.Metrics;
import io.wscluster.ops.MetricsHistory;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes this node's registry entry: its state, load (from the hub) and rates since the previous beat
 * (from the metrics' totals), and offers it to the metrics history.
 */
@ApplicationScoped
public class Heartbeat {

    /** Channels each node reports in its registry entry, busiest first. */
    private static final int TOP_CHANNELS = 20;

    @Inject
    LocalNode node;

    @Inject
    NodeRegistry registry;

    @Inject
    Hub hub;

    @Inject
    Metrics metrics;

    @Inject
    MetricsHistory history;

    private long lastPublished;
    private long lastDelivered;
    private long[] lastLatency = {0, 0};
    private long lastBeatNanos = System.nanoTime();

    /** Writes the entry now; throws if the registry cannot be written. */
    public void beat() {
        NodeInfo info = snapshot();
        registry.put(info);
        history.offer(info);
    }

    private synchronized NodeInfo snapshot() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastBeatNanos) / 1e9);
        long published = metrics.publishedTotal();
        long delivered = metrics.deliveredTotal();
        long[] latency = metrics.remoteLatencyTotals();
        long arrivals = latency[1] - lastLatency[1];
        long latencyMicros = arrivals == 0 ? 0 : (latency[0] - lastLatency[0]) / arrivals;
        NodeInfo info = new NodeInfo(node.id(), node.httpUrl(), node.wsUrl(), node.state(), hub.connections(),
                hub.subscriptions(), (published - lastPublished) / seconds, (delivered - lastDelivered) / seconds,
                node.startedAt(), System.currentTimeMillis(), node.weight(), latencyMicros, hub.topChannels(TOP_CHANNELS),
                hub.lagMillis(), hub.overloaded());
        lastBeatNanos = now;
        lastPublished = published;
        lastDelivered = delivered;
        lastLatency = latency;
        return info;
    }
}
