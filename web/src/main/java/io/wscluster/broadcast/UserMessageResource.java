package io.wscluster.broadcast;

import io.wscluster.protocol.JsonText;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
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
    MessagePublisher publisher;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(@PathParam("user") String user, @QueryParam("priority") @DefaultValue("normal") String priority,
            InputStream body) throws IOException {
        String data = RequestBodies.readLimited(body, publisher.maxBytes());
        Message message = publisher.sendToUser(user, data, Origin.REST, RequestBodies.priority(priority));
        return Response.accepted(JsonText.provider().createObjectBuilder().add("id", message.id()).build()).build();
    }
}
