package io.wscluster.web.rest;

import io.wscluster.api.MessageRejectedException;

import io.wscluster.metrics.Metrics;
import io.wscluster.protocol.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns a refused request into a JSON error body {@code {"code","message"}} with a fitting status. */
@Provider
@ApplicationScoped
public class RejectionMapper implements ExceptionMapper<MessageRejectedException> {

    @Inject
    Metrics metrics;

    @Override
    public Response toResponse(MessageRejectedException e) {
        metrics.error(e.code());
        Status status = switch (e.code()) {
            case UNKNOWN_CHANNEL, NOT_ENABLED -> Status.NOT_FOUND;
            case UNAUTHORIZED -> Status.UNAUTHORIZED;
            case PERMISSION_DENIED -> Status.FORBIDDEN;
            case MESSAGE_TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE;
            case RATE_LIMITED -> Status.TOO_MANY_REQUESTS;
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE;
            default -> Status.BAD_REQUEST;
        };
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JsonText.provider().createObjectBuilder().add("code", e.wireCode()).add("message", e.getMessage()).build());
        if (e.retryAfterMillis() > 0) {
            response.header("Retry-After", (e.retryAfterMillis() + 999) / 1000); // whole seconds, rounded up
        }
        return response.build();
    }
}
