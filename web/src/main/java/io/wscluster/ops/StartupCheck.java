package io.wscluster.ops;

import io.wscluster.registry.NodeRegistry;
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
    NodeRegistry registry;

    @Override
    public HealthCheckResponse call() {
        NodeState state = registry.localState();
        return HealthCheckResponse.named("wscluster-started").withData("state", state.name())
                .status(state != NodeState.STARTING).build();
    }
}
