package io.wscluster.ops;

import io.wscluster.registry.NodeIdentity;
import io.wscluster.socket.ConnectionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the application is deployed and accepting connections; reports this node's load. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    NodeIdentity node;

    @Inject
    ConnectionRegistry connections;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("wscluster-ready")
                .withData("node", node.id())
                .withData("connections", connections.connectionCount())
                .withData("subscriptions", connections.subscriptionCount())
                .up()
                .build();
    }
}
