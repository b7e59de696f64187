package io.wscluster.web.rest;

import io.wscluster.protocol.JsonText;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every failure that is not a refused message as the same JSON body {@code {"code","message"}}: JAX-RS's
 * own (404, 405, 415, ...) keep their status; anything unexpected is a 500 with code INTERNAL, logged.
 * The REST API never answers with an HTML page.
 */
@Provider
public class HttpErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(HttpErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            Response.StatusType status = e.getResponse().getStatusInfo();
            return json(status.getStatusCode(), status.getReasonPhrase() == null ? "HTTP_" + status.getStatusCode()
                    : status.getReasonPhrase().toUpperCase(java.util.Locale.ROOT).replace(' ', '_'), status.getReasonPhrase());
        }
        LOG.log(Level.WARNING, "REST request failed", failure);
        return json(500, "INTERNAL", "server error");
    }

    static Response json(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JsonText.provider().createObjectBuilder().add("code", code).add("message", message == null ? code : message).build())
                .build();
    }
}
