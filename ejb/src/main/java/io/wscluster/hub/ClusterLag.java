package io.wscluster.hub;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
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
 * How far behind delivery is, on this node and across the cluster (every node's lag and whether it is
 * overloaded is in its registry entry): while any READY node is overloaded, publishers are pushed back, as
 * a message published now would only make every subscriber wait longer. (New clients are steered away
 * from an overloaded node by its weight in the load balancer; see BackendSync.)
 */
@ApplicationScoped
public class ClusterLag {

    @Inject
    Hub hub;

    @Inject
    NodeRegistry registry;

    @Inject
    Schedulers schedulers;

    private volatile long clusterLagMillis;
    private volatile boolean clusterOverloaded;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        schedulers.shared().scheduleWithFixedDelay(this::refresh, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** @throws MessageRejectedException with RATE_LIMITED (and when to retry) while the cluster is behind */
    public void requireCapacity() {
        if (hub.overloaded() || clusterOverloaded) {
            long lag = Math.max(hub.lagMillis(), clusterLagMillis);
            long retryAfter = Math.max(1_000, lag);
            throw new MessageRejectedException(ErrorCode.RATE_LIMITED,
                    "the cluster is " + lag + " ms behind delivering; publish again in " + retryAfter + " ms", retryAfter);
        }
    }

    private void refresh() {
        try {
            List<NodeInfo> ready = registry.readyNodes();
            clusterLagMillis = ready.stream().mapToLong(NodeInfo::lagMillis).max().orElse(0);
            clusterOverloaded = ready.stream().anyMatch(NodeInfo::overloaded);
        } catch (RuntimeException e) {
            // not joined yet, or a restart: the next round reads again
        }
    }
}
