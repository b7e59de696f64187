package io.wscluster.channel;

import io.wscluster.broadcast.Message;
import io.wscluster.broadcast.MessagePublisher;
import io.wscluster.broadcast.Origin;
import io.wscluster.broadcast.RequestBodies;
import io.wscluster.protocol.JsonText;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.socket.ConnectionRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.util.Map;
import java.util.TreeMap;

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

    @Inject
    NodeRegistry registry;

    /**
     * The cluster's channel names and patterns; the channels with subscribers on this node; and across the
     * cluster, the busiest channels as every node reported them in its last heartbeat.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list() {
        JsonArrayBuilder configured = JsonText.provider().createArrayBuilder();
        catalog.entries().forEach(configured::add);
        JsonArrayBuilder active = JsonText.provider().createArrayBuilder();
        connections.localSubscriberCounts().forEach((name, count) ->
                active.add(JsonText.provider().createObjectBuilder().add("name", name).add("localSubscribers", count)));
        Map<String, Integer> cluster = new TreeMap<>();
        registry.nodes().forEach(n -> n.channels().forEach(c -> cluster.merge(c.name(), c.subscribers(), Integer::sum)));
        JsonArrayBuilder clusterWide = JsonText.provider().createArrayBuilder();
        cluster.forEach((name, count) -> clusterWide.add(JsonText.provider().createObjectBuilder().add("name", name).add("subscribers", count)));
        return JsonText.provider().createObjectBuilder().add("configured", configured).add("active", active).add("cluster", clusterWide).build();
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
        return Response.accepted(JsonText.provider().createObjectBuilder().add("id", message.id()).build()).build();
    }
}
