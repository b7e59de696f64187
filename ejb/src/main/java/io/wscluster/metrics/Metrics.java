package io.wscluster.metrics;

import io.wscluster.api.ErrorCode;
import io.wscluster.message.Origin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The one place this node counts its traffic: MicroProfile Metrics counters and histograms for operators
 * (Prometheus text at {@code /metrics?scope=application}; the README lists names and units), and the
 * totals the heartbeat turns into rates. It depends on nothing but the metric registry, so every service
 * can count; gauges, which read services, are registered above them ({@link #gauge}). Latencies are in
 * microseconds, unit "none", so every figure of a histogram is in that one unit (Payara prints timer
 * quantiles and means in different units).
 */
@ApplicationScoped
public class Metrics {

    private final MetricRegistry registry;
    private final Map<Origin, Counter> published = new EnumMap<>(Origin.class);
    private final Map<String, Counter> byKey = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter opened;
    private final Histogram latency;
    private final Histogram batchSizes;
    private final LongAdder remoteLatencyMicros = new LongAdder();
    private final LongAdder remoteMessages = new LongAdder();

    @Inject
    public Metrics(@RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE) MetricRegistry registry) {
        this.registry = registry;
        for (Origin origin : Origin.values()) {
            published.put(origin, registry.counter(meta("wscluster.messages.published", "Messages accepted for publishing on this node"),
                    new Tag("origin", origin.name().toLowerCase(Locale.ROOT))));
        }
        delivered = registry.counter(meta("wscluster.messages.delivered", "Message frames queued to this node's clients"));
        opened = registry.counter(meta("wscluster.connections.opened", "WebSocket connections accepted"));
        latency = registry.histogram(meta("wscluster.delivery.latency.micros",
                "Publish-to-deliver latency in microseconds (origin node's clock, millisecond resolution)"));
        batchSizes = registry.histogram(meta("wscluster.bus.batch.messages", "Messages per batch sent to the other nodes"));
    }

    /** For CDI proxies only. */
    protected Metrics() {
        this.registry = null;
        this.delivered = null;
        this.opened = null;
        this.latency = null;
        this.batchSizes = null;
    }

    /** Registers a gauge; for the beans that read the services (the services themselves only count). */
    public void gauge(String name, String description, Supplier<Number> value) {
        registry.gauge(meta(name, description), value);
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

    /** Batches from another node that never arrived (their gap timed out), or arrived after later ones were delivered. */
    public void batchesOutOfSequence(String outcome, long batches) {
        counter("wscluster.bus.batches.out.of.sequence", "Batches from other nodes skipped as lost or delivered late, by outcome",
                "outcome", outcome).inc(batches);
    }

    /** Messages were appended to their channel's stream in one group commit (held by the stream's owners). */
    public void historyAppended(int messages) {
        counter("wscluster.history.appended", "Messages appended to channel streams (history)", "cache", "streams").inc(messages);
    }

    /** A subscriber asked to resume: {@code recovered} or {@code not-recovered} (window exceeded, epoch changed). */
    public void recovery(boolean recovered) {
        counter("wscluster.recoveries", "Subscriptions that asked to resume from a position, by outcome", "outcome",
                recovered ? "recovered" : "not-recovered").inc();
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

    /** A WebSocket handshake or API call was refused before reaching the application, by reason (RATE_LIMITED, ORIGIN_REFUSED, ...). */
    public void refused(String reason) {
        counter("wscluster.requests.refused", "Handshakes and API calls refused at the door, by reason", "reason", reason).inc();
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
