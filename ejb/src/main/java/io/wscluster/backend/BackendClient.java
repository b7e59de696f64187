package io.wscluster.backend;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The application's backend as MicroProfile Rest Client calls it: one POST per hook, a JSON object each way.
 * No {@code @Path} on the interface: JAX-RS would serve it as a resource of the node's own API.
 */
public interface BackendClient {

    @POST
    @Path("{hook}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    String ask(@PathParam("hook") String hook, String request);
}
