package io.wscluster.web.rest;

import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/cluster/nodes}: the node registry as this node sees it. */
@Path("cluster/nodes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    NodeRegistry registry;

    @GET
    public List<NodeInfo> nodes() {
        return registry.nodes();
    }

    @GET
    @Path("{id}")
    public NodeInfo node(@PathParam("id") String id) {
        return registry.node(id).orElseThrow(() -> new NotFoundException("no node " + id));
    }
}
