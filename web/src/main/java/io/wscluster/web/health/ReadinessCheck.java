package io.wscluster.web.health;

import io.wscluster.hub.Hub;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP only when the cache manager runs, this node is READY in the registry (so not starting,
 * disconnected or draining), and it is in a view of at least {@code wscluster.health.min-members}. An
 * overloaded node stays ready (were every node overloaded, all would be down): the load balancer gives it
 * a tenth of its weight instead (BackendSync), so new clients prefer the others.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    LocalNode node;

    @Inject
    Hub hub;

    @Inject
    NodeRegistry registry;

    @Override
    public HealthCheckResponse call() {
        NodeState state = node.state();
        boolean running = registry.joined();
        int members = registry.viewMembers().size();
        return HealthCheckResponse.named("wscluster-ready")
                .withData("node", node.id())
                .withData("state", state.name())
                .withData("cacheManager", running ? "RUNNING" : "STOPPED")
                .withData("members", members)
                .withData("minMembers", registry.quorum())
                .withData("connections", hub.connections())
                .withData("subscriptions", hub.subscriptions())
                .withData("lagMillis", hub.lagMillis())
                .withData("overloaded", hub.overloaded())
                // Not a reason to be unready (every node rebalances when one joins): what a rolling restart waits for.
                .withData("rebalancing", registry.rebalancing())
                // Cut off from the messages published on the other nodes, though JGroups still sees them (BusWatch).
                .withData("bus", node.busReachable() ? "reachable" : "cut off")
                .status(running && state.acceptsClients() && registry.hasQuorum() && node.busReachable())
                .build();
    }
}
