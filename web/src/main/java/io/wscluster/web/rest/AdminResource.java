package io.wscluster.web.rest;

import io.wscluster.hub.Hub;
import io.wscluster.lifecycle.Drain;
import io.wscluster.protocol.JsonText;
import io.wscluster.registry.LocalNode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /api/admin/drain}: takes this node out of service gracefully (admin token: {@link io.wscluster.web.guard.AccessFilter}). */
@Path("admin")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    Drain drain;

    @Inject
    LocalNode node;

    @Inject
    Hub hub;

    @POST
    @Path("drain")
    public Response drain() {
        int connections = hub.connections();
        boolean started = drain.start();
        return Response.accepted(JsonText.provider().createObjectBuilder().add("state", node.state().name())
                .add("connections", connections).add("started", started).build()).build();
    }
}
