package io.wscluster.web.health;

import io.wscluster.lifecycle.NodeLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the node's heartbeat timer still runs. A node whose timer stopped for ten intervals (at
 * least 10 s) no longer keeps its registration and needs restarting.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Inject
    NodeLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        long age = lifecycle.tickAgeMillis();
        long limit = Math.max(10_000, 10 * lifecycle.heartbeatMillis());
        return HealthCheckResponse.named("wscluster-live")
                .withData("heartbeatAgeMillis", age)
                .withData("limitMillis", limit)
                .status(age <= limit)
                .build();
    }
}
