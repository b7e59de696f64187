package io.wscluster.web.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/** {@code POST /api/users/{user}/messages}: sends the JSON body to every connection of that user. */
@Path("users/{user}/messages")
@RequestScoped
public class UserMessageResource {

    @Inject
    RestPublishing publishing;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("user") String user, @QueryParam("priority") @DefaultValue("normal") String priority,
            @HeaderParam("Content-Type") MediaType type, InputStream body) throws IOException {
        return publishing.toUser(user, priority, type, body);
    }
}
