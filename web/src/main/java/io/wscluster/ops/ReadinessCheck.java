package io.wscluster.ops;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.LocalLoad;
import io.wscluster.registry.NodeIdentity;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP only when the cache manager runs, this node is READY in the registry (so not starting,
 * disconnected or draining), and it is in a view of at least {@code wscluster.health.min-members}.
 */
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

    /** Below this many members in its view a node reports not ready (it may be cut off from the rest). */
    @Inject
    @ConfigProperty(name = "wscluster.health.min-members", defaultValue = "1")
    int minMembers;

    @Override
    public HealthCheckResponse call() {
        NodeState state = registry.localState();
        boolean running = caches.isRunning();
        int members = caches.members().size();
        return HealthCheckResponse.named("wscluster-ready")
                .withData("node", node.id())
                .withData("state", state.name())
                .withData("cacheManager", running ? "RUNNING" : "STOPPED")
                .withData("members", members)
                .withData("minMembers", minMembers)
                .withData("connections", load.connections())
                .withData("subscriptions", load.subscriptions())
                .status(running && state.acceptsClients() && members >= minMembers)
                .build();
    }
}
