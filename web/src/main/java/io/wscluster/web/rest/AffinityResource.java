package io.wscluster.web.rest;

import io.wscluster.affinity.AffinityService;
import io.wscluster.affinity.UserAffinity;

import io.wscluster.protocol.JsonText;
import io.wscluster.registry.NodeInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/**
 * {@code GET /api/affinity/{user}}: the user's node, when connected since and last seen, whether the
 * entry is released, and the node a (re)connect should go to under the configured strategy.
 */
@Path("affinity/{user}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AffinityResource {

    @Inject
    AffinityService affinity;

    @GET
    public JsonObject lookup(@PathParam("user") String user) {
        JsonObjectBuilder body = JsonText.provider().createObjectBuilder().add("user", user).add("strategy", affinity.strategy());
        Optional<UserAffinity> entry = affinity.lookup(user);
        entry.ifPresent(a -> body.add("node", a.nodeId()).add("connectedSince", a.connectedSince())
                .add("lastSeen", a.lastSeen()).add("released", a.released()));
        body.add("assigned", entry.isPresent() && !entry.get().released());
        affinity.choose(user).map(NodeInfo::id).ifPresent(id -> body.add("routeTo", id));
        return body.build();
    }
}
