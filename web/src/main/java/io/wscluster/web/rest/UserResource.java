package io.wscluster.web.rest;

import io.wscluster.control.UserControl;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.protocol.JsonText;
import io.wscluster.publish.MessagePublisher;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code /api/users/{user}}: the server API on one user, wherever in the cluster its connections are:
 * messages to it, and disconnect (and ban), unsubscribe, subscribe and refresh of its connections. The
 * commands answer 202 once every node has been sent them; each node acts on its own connections.
 */
@Path("users/{user}")
@RequestScoped
public class UserResource {

    @Inject
    RestPublishing publishing;

    @Inject
    UserControl control;

    @Inject
    MessagePublisher publisher;

    /** Sends the JSON body to every connection of the user (header {@code Idempotency-Key}: once per key); 202 with the message id. */
    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("user") String user, @QueryParam("priority") @DefaultValue("normal") String priority,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam("Content-Type") MediaType type, InputStream body)
            throws IOException {
        return publishing.toUser(user, priority, idempotencyKey, type, body);
    }

    /** {@code {"code"?, "reason"?, "banSeconds"?}}: closes every connection of the user (4100 by default). */
    @POST
    @Path("disconnect")
    @Produces(MediaType.APPLICATION_JSON)
    public Response disconnect(@PathParam("user") String user, @HeaderParam("Content-Type") MediaType type, InputStream body)
            throws IOException {
        JsonObject request = body(type, body);
        control.disconnect(user, (int) RestBodies.number(request, "code", CloseCodes.DISCONNECTED), RestBodies.string(request, "reason"),
                RestBodies.number(request, "banSeconds", 0));
        return accepted();
    }

    /** {@code {"channel"}}: takes every connection of the user off the channel. */
    @POST
    @Path("unsubscribe")
    @Produces(MediaType.APPLICATION_JSON)
    public Response unsubscribe(@PathParam("user") String user, @HeaderParam("Content-Type") MediaType type, InputStream body)
            throws IOException {
        control.unsubscribe(user, RestBodies.requiredString(body(type, body), "channel"));
        return accepted();
    }

    /** {@code {"channel", "since"?: {"epoch", "offset"}}}: puts every connection of the user on the channel. */
    @POST
    @Path("subscribe")
    @Produces(MediaType.APPLICATION_JSON)
    public Response subscribe(@PathParam("user") String user, @HeaderParam("Content-Type") MediaType type, InputStream body)
            throws IOException {
        JsonObject request = body(type, body);
        String channel = RestBodies.requiredString(request, "channel");
        if (request.get("since") == null) {
            control.subscribe(user, channel, null, 0);
        } else {
            JsonObject since = RestBodies.object(request.get("since"), "since");
            control.subscribe(user, channel, RestBodies.requiredString(since, "epoch"), RestBodies.number(since, "offset", 0));
        }
        return accepted();
    }

    /** {@code {"expiresAt"}} (epoch milliseconds): moves the expiry of every connection of the user. */
    @POST
    @Path("refresh")
    @Produces(MediaType.APPLICATION_JSON)
    public Response refresh(@PathParam("user") String user, @HeaderParam("Content-Type") MediaType type, InputStream body)
            throws IOException {
        long expiresAt = RestBodies.number(body(type, body), "expiresAt", -1);
        if (expiresAt < 0) {
            throw RestBodies.invalid("expiresAt (epoch milliseconds) is required");
        }
        control.refresh(user, expiresAt);
        return accepted();
    }

    private JsonObject body(MediaType type, InputStream body) throws IOException {
        return RestBodies.object(RestBodies.read(type, body, publisher.maxBytes()), "the body");
    }

    private static Response accepted() {
        return Response.accepted(JsonText.provider().createObjectBuilder().build()).build();
    }
}
