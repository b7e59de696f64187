package io.wscluster.web.rest;

import io.wscluster.channel.ChannelCatalog;
import io.wscluster.hub.Hub;
import io.wscluster.protocol.JsonText;
import io.wscluster.registry.NodeRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
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
    Hub hub;

    @Inject
    NodeRegistry registry;

    @Inject
    RestPublishing publishing;

    /**
     * The cluster's channel names and patterns; the channels with subscribers on this node; and across the
     * cluster, the busiest channels as every node reported them in its last heartbeat.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list() {
        JsonProvider json = JsonText.provider();
        JsonArrayBuilder configured = json.createArrayBuilder();
        catalog.entries().forEach(configured::add);
        JsonArrayBuilder active = json.createArrayBuilder();
        hub.localSubscriberCounts().forEach((name, count) ->
                active.add(json.createObjectBuilder().add("name", name).add("localSubscribers", count)));
        Map<String, Integer> cluster = new TreeMap<>();
        registry.nodes().forEach(n -> n.channels().forEach(c -> cluster.merge(c.name(), c.subscribers(), Integer::sum)));
        JsonArrayBuilder clusterWide = json.createArrayBuilder();
        cluster.forEach((name, count) -> clusterWide.add(json.createObjectBuilder().add("name", name).add("subscribers", count)));
        return json.createObjectBuilder().add("configured", configured).add("active", active).add("cluster", clusterWide).build();
    }

    /** Publishes the JSON body to the channel ({@code ?priority=high}, {@code ?key=K}); 202 with the message id. */
    @POST
    @Path("{channel}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel, @QueryParam("priority") @DefaultValue("normal") String priority,
            @QueryParam("key") String key, InputStream body) throws IOException {
        return publishing.toChannel(channel, priority, key, body);
    }
}
