package io.wscluster.web.rest;

import io.wscluster.hub.Hub;
import io.wscluster.lifecycle.Drain;
import io.wscluster.protocol.JsonText;
import io.wscluster.registry.LocalNode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/admin/drain}: takes this node out of service gracefully. With
 * {@code wscluster.admin.token} set, callers must send {@code Authorization: Bearer TOKEN}; without it,
 * only callers on this host (loopback) may drain, and not through a proxy.
 */
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

    @Inject
    @ConfigProperty(name = "wscluster.admin.token")
    Optional<String> token;

    @Context
    HttpServletRequest request;

    @POST
    @Path("drain")
    public Response drain(@HeaderParam("Authorization") String authorization) {
        Response refused = authorize(authorization);
        if (refused != null) {
            return refused;
        }
        int connections = hub.connections();
        boolean started = drain.start();
        return Response.accepted(JsonText.provider().createObjectBuilder().add("state", node.state().name())
                .add("connections", connections).add("started", started).build()).build();
    }

    private Response authorize(String authorization) {
        if (token.filter(t -> !t.isBlank()).isPresent()) {
            return ("Bearer " + token.get()).equals(authorization) ? null : error(Response.Status.UNAUTHORIZED, "a bearer token is required");
        }
        if (request.getHeader("X-Forwarded-For") != null) {
            // Came through a proxy: the loopback address is the proxy's, not the caller's.
            return error(Response.Status.FORBIDDEN, "set wscluster.admin.token to drain through a proxy");
        }
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress() ? null
                    : error(Response.Status.FORBIDDEN, "set wscluster.admin.token to drain from another host");
        } catch (UnknownHostException e) {
            return error(Response.Status.FORBIDDEN, "unknown caller");
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(JsonText.provider().createObjectBuilder().add("code", status.name()).add("message", message).build()).build();
    }
}
