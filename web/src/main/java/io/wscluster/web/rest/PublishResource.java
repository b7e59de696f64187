package io.wscluster.web.rest;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Publication;
import io.wscluster.api.PublishResult;
import io.wscluster.message.Origin;
import io.wscluster.protocol.JsonText;
import io.wscluster.publish.MessagePublisher;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/publish/batch} and {@code /api/broadcast}: many publications in one request, each with its own
 * result (so a partial success shows), in the request's order (so in order per channel). 200 with
 * {@code {"results": [...]}}, one per publication: {@code {"id", "epoch"?, "offset"?}} or {@code {"error":
 * {"code", "message"}}}.
 */
@Path("")
@RequestScoped
public class PublishResource {

    /** Publications in one request at most: a batch is one request's work, not a bulk import. */
    static final int MAX_PUBLICATIONS = 1000;

    @Inject
    MessagePublisher publisher;

    /** {@code [{"channel"|"user", "data", "idempotencyKey"?}, ...]}. */
    @POST
    @Path("publish/batch")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject batch(@HeaderParam("Content-Type") MediaType type, InputStream body) throws IOException {
        JsonValue request = RestBodies.read(type, body, MAX_PUBLICATIONS * publisher.maxBytes());
        if (!(request instanceof JsonArray items) || items.isEmpty() || items.size() > MAX_PUBLICATIONS) {
            throw RestBodies.invalid("the body must be an array of 1 to " + MAX_PUBLICATIONS + " publications");
        }
        List<Publication> publications = new ArrayList<>(items.size());
        for (JsonValue item : items) {
            JsonObject publication = RestBodies.object(item, "each publication");
            publications.add(new Publication(RestBodies.string(publication, "channel"), RestBodies.string(publication, "user"),
                    data(publication), RestBodies.string(publication, "idempotencyKey")));
        }
        return results(publisher.publishAll(publications, Origin.REST));
    }

    /** {@code {"channels": [...], "data", "idempotencyKey"?}}: the same message to each channel. */
    @POST
    @Path("broadcast")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject broadcast(@HeaderParam("Content-Type") MediaType type, InputStream body) throws IOException {
        JsonObject request = RestBodies.object(RestBodies.read(type, body, 2 * publisher.maxBytes()), "the body");
        if (!(request.get("channels") instanceof JsonArray channels) || channels.isEmpty() || channels.size() > MAX_PUBLICATIONS) {
            throw RestBodies.invalid("channels must be an array of 1 to " + MAX_PUBLICATIONS + " channel names");
        }
        String data = data(request);
        String key = RestBodies.string(request, "idempotencyKey");
        List<Publication> publications = new ArrayList<>(channels.size());
        for (JsonValue channel : channels) {
            if (channel.getValueType() != JsonValue.ValueType.STRING) {
                throw RestBodies.invalid("channels must be channel names");
            }
            publications.add(new Publication(((JsonString) channel).getString(), null, data, key));
        }
        return results(publisher.publishAll(publications, Origin.REST));
    }

    /** The data as JSON text; it must be there (null is a value). */
    private static String data(JsonObject publication) {
        JsonValue data = publication.get("data");
        if (data == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "data is required");
        }
        return data.toString();
    }

    private static JsonObject results(List<PublishResult> results) {
        JsonProvider json = JsonText.provider();
        JsonArrayBuilder array = json.createArrayBuilder();
        for (PublishResult result : results) {
            JsonObjectBuilder item = json.createObjectBuilder();
            if (result.target() != null) {
                item.add("target", result.target());
            }
            if (result.sent()) {
                item.add("id", result.id());
                if (result.epoch() != null) {
                    item.add("epoch", result.epoch()).add("offset", result.offset());
                }
            } else {
                item.add("error", json.createObjectBuilder().add("code", result.error().name()).add("message", result.message()));
            }
            array.add(item);
        }
        return json.createObjectBuilder().add("results", array).build();
    }
}
