package io.wscluster.channel;

import io.wscluster.broadcast.Message;
import io.wscluster.broadcast.MessagePublisher;
import io.wscluster.broadcast.Origin;
import io.wscluster.broadcast.RequestBodies;
import io.wscluster.socket.ConnectionRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/** {@code /api/channels}: which channels exist and are in use, and publishing to one. */
@Path("channels")
@RequestScoped
public class ChannelResource {

    @Inject
    ChannelCatalog catalog;

    @Inject
    ConnectionRegistry connections;

    @Inject
    MessagePublisher publisher;

    /** The configured names and patterns, and the channels with subscribers on this node. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list() {
        JsonArrayBuilder configured = Json.createArrayBuilder();
        catalog.entries().forEach(configured::add);
        JsonArrayBuilder active = Json.createArrayBuilder();
        connections.localSubscriberCounts().forEach((name, count) ->
                active.add(Json.createObjectBuilder().add("name", name).add("localSubscribers", count)));
        return Json.createObjectBuilder().add("configured", configured).add("active", active).build();
    }

    /** Publishes the JSON body to the channel; 202 with the message id. */
    @POST
    @Path("{channel}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel, @QueryParam("priority") @DefaultValue("normal") String priority,
            InputStream body) throws IOException {
        String data = RequestBodies.readLimited(body, publisher.maxBytes());
        Message message = publisher.publish(channel, data, Origin.REST, RequestBodies.priority(priority));
        return Response.accepted(Json.createObjectBuilder().add("id", message.id()).build()).build();
    }
}
