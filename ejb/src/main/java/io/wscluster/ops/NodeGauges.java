package io.wscluster.ops;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.history.ChannelHistory;
import io.wscluster.hub.Hub;
import io.wscluster.metrics.Metrics;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.registry.LocalNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The gauges an operator watches, read from the services when scraped: load, cluster size, readiness, scale, history and presence. */
@ApplicationScoped
public class NodeGauges {

    @Inject
    Metrics metrics;

    @Inject
    Hub hub;

    @Inject
    ClusterCaches caches;

    @Inject
    LocalNode node;

    @Inject
    ScaleAdvisor scale;

    @Inject
    ChannelHistory history;

    @Inject
    ChannelPresence presence;

    void register(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        metrics.gauge("wscluster.connections", "Open WebSocket connections", hub::connections);
        metrics.gauge("wscluster.subscriptions", "Channel subscriptions of this node's connections", hub::subscriptions);
        metrics.gauge("wscluster.channels", "Channels with subscribers on this node", hub::activeChannels);
        metrics.gauge("wscluster.outbound.queued", "Frames waiting in this node's outbound queues", hub::queuedFrames);
        metrics.gauge("wscluster.cluster.size", "Members of the cluster view as this node sees it", () -> caches.members().size());
        metrics.gauge("wscluster.scale.desired.nodes", "Nodes the current connections want (wscluster.scale.*)",
                () -> scale.advice().desiredNodes());
        metrics.gauge("wscluster.node.ready", "1 while this node is READY (accepting clients), else 0",
                () -> node.acceptsClients() ? 1 : 0);
        metrics.gauge("wscluster.delivery.lag.millis", "How late this node's writes to its clients start, in milliseconds",
                hub::lagMillis);
        metrics.gauge("wscluster.delivery.overloaded", "1 while this node is behind for everybody (publishers are pushed back)",
                () -> hub.overloaded() ? 1 : 0);
        metrics.gauge("wscluster.history.streams", "Channel streams this node holds (as primary or backup owner)",
                () -> history.footprint().streams());
        metrics.gauge("wscluster.history.messages", "Messages in the channel streams this node holds", () -> history.footprint().messages());
        metrics.gauge("wscluster.history.bytes", "Characters of message data in the channel streams this node holds",
                () -> history.footprint().bytes());
        metrics.gauge("wscluster.presence.entries", "Presence entries (connections on channels that track presence), cluster-wide",
                presence::size);
    }
}
