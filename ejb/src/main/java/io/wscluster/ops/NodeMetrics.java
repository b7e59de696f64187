package io.wscluster.ops;

import io.wscluster.broadcast.Origin;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.protocol.ErrorCode;
import io.wscluster.registry.LocalLoad;
import io.wscluster.registry.NodeRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The one place this node counts its traffic: MicroProfile Metrics for operators (Prometheus text at
 * {@code /metrics?scope=application}; README lists names and units) and totals the registry heartbeat
 * turns into rates. Latencies are in microseconds, unit "none", so every figure of a histogram is in
 * the same unit (Payara prints timer quantiles and means in different units).
 */
@ApplicationScoped
public class NodeMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    LocalLoad load;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry nodes;

    @Inject
    ScaleAdvisor scale;

    private final Map<Origin, Counter> published = new EnumMap<>(Origin.class);
    private final Map<String, Counter> byKey = new ConcurrentHashMap<>();
    private Counter delivered;
    private Counter opened;
    private Histogram latency;
    private Histogram batchSizes;
    private final LongAdder remoteLatencyMicros = new LongAdder();
    private final LongAdder remoteMessages = new LongAdder();

    @PostConstruct
    void register() {
        for (Origin origin : Origin.values()) {
            published.put(origin, registry.counter(meta("wscluster.messages.published", "Messages accepted for publishing on this node"),
                    new Tag("origin", origin.name().toLowerCase(Locale.ROOT))));
        }
        delivered = registry.counter(meta("wscluster.messages.delivered", "Message frames queued to this node's clients"));
        opened = registry.counter(meta("wscluster.connections.opened", "WebSocket connections accepted"));
        latency = registry.histogram(meta("wscluster.delivery.latency.micros",
                "Publish-to-deliver latency in microseconds (origin node's clock, millisecond resolution)"));
        batchSizes = registry.histogram(meta("wscluster.bus.batch.messages", "Messages per batch sent to the other nodes"));
        registry.gauge(meta("wscluster.connections", "Open WebSocket connections"), load::connections);
        registry.gauge(meta("wscluster.subscriptions", "Channel subscriptions of this node's connections"), load::subscriptions);
        registry.gauge(meta("wscluster.channels", "Channels with subscribers on this node"), load::activeChannels);
        registry.gauge(meta("wscluster.outbound.queued", "Frames waiting in this node's outbound queues"), load::queuedFrames);
        registry.gauge(meta("wscluster.cluster.size", "Members of the cluster view as this node sees it"), () -> caches.members().size());
        registry.gauge(meta("wscluster.scale.desired.nodes", "Nodes the current connections want (wscluster.scale.*)"),
                () -> scale.advice().desiredNodes());
        registry.gauge(meta("wscluster.node.ready", "1 while this node is READY (accepting clients), else 0"),
                () -> nodes.localState().acceptsClients() ? 1 : 0);
    }

    /** A message was accepted for publishing on this node. */
    public void published(Origin origin) {
        published.get(origin).inc();
    }

    /** A message was handed to {@code frames} local connections, {@code latencyMicros} after it was published. */
    public void delivered(int frames, long latencyMicros) {
        delivered.inc(frames);
        latency.update(Math.max(0, latencyMicros));
    }

    /** A message from another node arrived here {@code micros} after it was published. */
    public void remoteArrival(long micros) {
        remoteLatencyMicros.add(Math.max(0, micros));
        remoteMessages.increment();
    }

    public void batchSent(int messages) {
        batchSizes.update(messages);
    }

    public void connectionOpened() {
        opened.inc();
    }

    /** @param code the WebSocket close code */
    public void connectionClosed(int code) {
        counter("wscluster.connections.closed", "WebSocket connections closed, by close code", "code", Integer.toString(code)).inc();
    }

    /** Frames discarded because their connection was given up on. */
    public void dropped(String reason, long frames) {
        counter("wscluster.messages.dropped", "Frames discarded with a connection that was given up on", "reason", reason).inc(frames);
    }

    public void error(ErrorCode code) {
        counter("wscluster.errors", "Error frames and REST error responses, by code", "code", code.name()).inc();
    }

    /** A user connected here whose affinity was released, or was on another node. */
    public void reconnect(boolean moved) {
        counter("wscluster.reconnects", "Users returning, to the same node or moved from another", "kind", moved ? "moved" : "same-node").inc();
    }

    /** This node, as coordinator, removed another from the registry. */
    public void nodeRemoved(String reason) {
        counter("wscluster.nodes.removed", "Nodes removed from the registry by this coordinator, by reason", "reason", reason).inc();
    }

    public long publishedTotal() {
        return published.values().stream().mapToLong(Counter::getCount).sum();
    }

    public long deliveredTotal() {
        return delivered.getCount();
    }

    /** Sum of remote latencies and count, read together for a mean over an interval. */
    public long[] remoteLatencyTotals() {
        return new long[] {remoteLatencyMicros.sum(), remoteMessages.sum()};
    }

    private Counter counter(String name, String description, String tag, String value) {
        return byKey.computeIfAbsent(name + '|' + value, k -> registry.counter(meta(name, description), new Tag(tag, value)));
    }

    private static Metadata meta(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE).build();
    }
}
