package io.wscluster.ops;

import io.wscluster.registry.NodeIdentity;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.LocalLoad;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: UP when this node is READY in the cluster (not starting, disconnected or draining); reports its load. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    NodeIdentity node;

    @Inject
    LocalLoad load;

    @Inject
    NodeRegistry registry;

    @Inject
    ClusterCaches caches;

    @Override
    public HealthCheckResponse call() {
        NodeState state = registry.localState();
        return HealthCheckResponse.named("wscluster-ready")
                .withData("node", node.id())
                .withData("state", state.name())
                .withData("members", caches.members().size())
                .withData("connections", load.connections())
                .withData("subscriptions", load.subscriptions())
                .status(state.acceptsClients())
                .build();
    }
}
