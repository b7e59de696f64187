package io.wscluster.web.health;

import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Startup: the node has finished joining the cluster (it is past STARTING, whether READY or retrying). */
@Startup
@ApplicationScoped
public class StartupCheck implements HealthCheck {

    @Inject
    LocalNode node;

    @Override
    public HealthCheckResponse call() {
        NodeState state = node.state();
        return HealthCheckResponse.named("wscluster-started").withData("state", state.name())
                .status(state != NodeState.STARTING).build();
    }
}
