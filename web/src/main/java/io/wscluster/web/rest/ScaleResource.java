package io.wscluster.web.rest;

import io.wscluster.ops.ScaleAdvice;
import io.wscluster.ops.ScaleAdvisor;

import io.wscluster.protocol.JsonText;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/cluster/scale}: the node count the current load wants, for an orchestrator to act on. */
@Path("cluster/scale")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ScaleResource {

    @Inject
    ScaleAdvisor advisor;

    @GET
    public JsonObject scale() {
        ScaleAdvice advice = advisor.advice();
        return JsonText.provider().createObjectBuilder()
                .add("currentNodes", advice.currentNodes())
                .add("desiredNodes", advice.desiredNodes())
                .add("connections", advice.connections())
                .add("targetConnectionsPerNode", advice.targetConnectionsPerNode())
                .add("action", advice.action())
                .build();
    }
}
