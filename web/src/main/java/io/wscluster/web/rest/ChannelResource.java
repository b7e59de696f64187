package io.wscluster.web.rest;

import io.wscluster.api.ChannelInfo;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.backend.Backend;
import io.wscluster.backend.Decision;
import io.wscluster.broker.Broker;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.control.UserControl;
import io.wscluster.history.StreamSlice;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.security.ChannelPermissions;
import io.wscluster.security.Identity;
import io.wscluster.web.guard.AccessFilter;
import io.wscluster.hub.Hub;
import io.wscluster.protocol.JsonText;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.registry.NodeRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** {@code /api/channels}: which channels exist and are in use, publishing to one, its history and its presence. */
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

    @Inject
    Broker broker;

    @Inject
    UserControl control;

    @Inject
    ChannelPresence presence;

    @Inject
    Backend backend;

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

    /**
     * Publishes the JSON body to the channel ({@code ?priority=high}, {@code ?key=K}, header {@code
     * Idempotency-Key}: published once per key); 202 with the message id.
     */
    @POST
    @Path("{channel}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel, @QueryParam("priority") @DefaultValue("normal") String priority,
            @QueryParam("key") String key, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Type") MediaType type, @Context HttpServletRequest request, InputStream body) throws IOException {
        if (request.getAttribute(AccessFilter.CLIENT_IDENTITY) instanceof Identity user) {
            // As from a socket: the channel's rules, then its backend if it asks one (which may rewrite the data).
            ChannelOptions options = catalog.requireKnown(channel);
            ChannelPermissions.requirePublish(user, channel, options);
            if (options.backendPublish()) {
                return publishing.toChannel(channel, priority, key, idempotencyKey, type, body, data -> {
                    Decision decision = backend.publish(user, null, channel, JsonText.parse(data)).toCompletableFuture().join();
                    if (!decision.allowed()) {
                        throw decision.refusal();
                    }
                    return decision.data() == null ? data : decision.data().toString();
                });
            }
        }
        return publishing.toChannel(channel, priority, key, idempotencyKey, type, body, UnaryOperator.identity());
    }

    /**
     * A channel's history: the messages after {@code since} (the first {@code limit}), or without it the
     * last {@code limit}; each as the socket's message frame, with where the stream stands. Given the
     * {@code epoch} the position came from, says whether the messages continue it ({@code recovered}).
     */
    @GET
    @Path("{channel}/history")
    @Produces(MediaType.APPLICATION_JSON)
    public String history(@PathParam("channel") String channel, @QueryParam("since") Long since,
            @QueryParam("epoch") String epoch, @QueryParam("limit") Integer limit) {
        ChannelOptions options = catalog.requireKnown(channel);
        if (!options.keepsHistory()) {
            throw new MessageRejectedException(ErrorCode.NOT_ENABLED, channel + " keeps no history");
        }
        int max = options.historySize();
        if (limit != null && (limit < 1 || limit > max)) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "limit must be 1 to " + max);
        }
        if (since != null && since < 0) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "since must be an offset, 0 or more");
        }
        int count = limit == null ? max : limit;
        StreamSlice slice = since == null ? broker.latest(channel, count) : broker.since(channel, since, count);
        Boolean recovered = since != null && epoch != null ? slice.continues(epoch, since) : null;
        return ServerFrames.history(channel, slice.epoch(), slice.offset(), recovered,
                slice.messages().stream().map(m -> m.toMessage(channel, slice.epoch())).toList());
    }

    /**
     * A channel as the cluster has it now: {@code {"channel", "subscribers", "presence"?: {"connections",
     * "users"}, "stream"?: {"epoch", "offset"}}}; subscribers counted on every node as it answers.
     */
    @GET
    @Path("{channel}")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject info(@PathParam("channel") String channel) {
        ChannelInfo info = control.info(channel).join();
        JsonProvider json = JsonText.provider();
        JsonObjectBuilder body = json.createObjectBuilder().add("channel", info.channel()).add("subscribers", info.subscribers());
        if (info.presenceConnections() >= 0) {
            body.add("presence", json.createObjectBuilder().add("connections", info.presenceConnections()).add("users", info.presenceUsers()));
        }
        if (catalog.requireKnown(channel).keepsHistory()) {
            body.add("stream", json.createObjectBuilder().add("epoch", info.epoch() == null ? StreamSlice.NOT_STARTED : info.epoch())
                    .add("offset", info.offset()));
        }
        return body.build();
    }

    /** Who is subscribed to a channel that tracks presence, across the cluster: as the socket's presence reply. */
    @GET
    @Path("{channel}/presence")
    @Produces(MediaType.APPLICATION_JSON)
    public String presence(@PathParam("channel") String channel) {
        ChannelPresence.Snapshot snapshot = presence.of(channel, catalog.requireKnown(channel));
        return ServerFrames.presence(channel, null, snapshot.entries(), snapshot.users(), snapshot.complete());
    }
}
