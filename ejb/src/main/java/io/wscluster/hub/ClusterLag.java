package io.wscluster.hub;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How far behind delivery is, on this node and across the cluster (every node's lag is in its registry
 * entry), and what follows from it: while any READY node is overloaded, publishers are pushed back
 * (a message published now would only make every subscriber wait longer); while this node is and
 * another one is not, this node reports not ready, so the load balancer sends new clients elsewhere.
 */
@ApplicationScoped
public class ClusterLag {

    @Inject
    Hub hub;

    @Inject
    NodeRegistry registry;

    @Inject
    LocalNode node;

    @Inject
    Schedulers schedulers;

    private volatile long clusterLagMillis;
    private volatile boolean othersCanTakeClients;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        schedulers.shared().scheduleWithFixedDelay(this::refresh, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** @throws MessageRejectedException with RATE_LIMITED (and when to retry) while the cluster is behind */
    public void requireCapacity() {
        long lag = Math.max(hub.lagMillis(), clusterLagMillis);
        if (hub.overloaded() || lag >= hub.settings().overloadLagMillis()) {
            long retryAfter = Math.max(1_000, lag);
            throw new MessageRejectedException(ErrorCode.RATE_LIMITED,
                    "the cluster is " + lag + " ms behind delivering; publish again in " + retryAfter + " ms", retryAfter);
        }
    }

    /** Whether new clients should go elsewhere: this node is overloaded and another READY node is not. */
    public boolean shedNewClients() {
        return hub.overloaded() && othersCanTakeClients;
    }

    private void refresh() {
        try {
            List<NodeInfo> ready = registry.readyNodes();
            long threshold = hub.settings().overloadLagMillis();
            clusterLagMillis = ready.stream().mapToLong(NodeInfo::lagMillis).max().orElse(0);
            othersCanTakeClients = ready.stream().anyMatch(n -> !n.id().equals(node.id()) && n.lagMillis() < threshold / 2);
        } catch (RuntimeException e) {
            // not joined yet, or a restart: the next round reads again
        }
    }
}
