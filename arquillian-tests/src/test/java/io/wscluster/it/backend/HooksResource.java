package io.wscluster.it.backend;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend as an application writes one, deciding by user, channel and data (BackendHooksIT): refuses
 * mallory, grants grace a channel, gives "brief" a short life that one refresh extends and the next ends,
 * answers "sloth" too late, refuses one channel and rewrites or refuses publishes by their data.
 */
@Path("")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class HooksResource {

    /** How long each short life lasts: the connect's expiry, then the first refresh's. */
    public static final long BRIEF_MILLIS = 1_500;

    private static final Map<String, AtomicInteger> REFRESHES = new ConcurrentHashMap<>();

    @POST
    @Path("connect")
    public JsonObject connect(JsonObject request) throws InterruptedException {
        String user = request.isNull("user") ? "" : request.getString("user");
        return switch (user) {
            case "mallory" -> refuse("BANNED_BY_APP", "mallory may not connect");
            case "grace" -> Json.createObjectBuilder().add("allow", true).add("channels", Json.createArrayBuilder().add("vip.grace")).build();
            case "brief" -> Json.createObjectBuilder().add("allow", true).add("expiresAt", System.currentTimeMillis() + BRIEF_MILLIS).build();
            case "sloth" -> {
                Thread.sleep(3_000); // well past the node's timeout (500 ms in the test)
                yield allow();
            }
            default -> allow();
        };
    }

    @POST
    @Path("subscribe")
    public JsonObject subscribe(JsonObject request) {
        return request.getString("channel").equals("hooked.closed") ? refuse("ROOM_CLOSED", "this room is closed") : allow();
    }

    @POST
    @Path("publish")
    public JsonObject publish(JsonObject request) {
        JsonValue data = request.get("data");
        String text = data instanceof JsonString s ? s.getString() : "";
        return switch (text) {
            case "forbidden word" -> refuse("MODERATED", "not on this channel");
            case "rewrite me" -> Json.createObjectBuilder().add("allow", true)
                    .add("data", Json.createObjectBuilder().add("text", "rewritten").add("by", request.getString("user"))).build();
            default -> allow();
        };
    }

    @POST
    @Path("refresh")
    public JsonObject refresh(JsonObject request) {
        int count = REFRESHES.computeIfAbsent(request.getString("user"), u -> new AtomicInteger()).incrementAndGet();
        return count == 1 ? Json.createObjectBuilder().add("allow", true).add("expiresAt", System.currentTimeMillis() + BRIEF_MILLIS).build()
                : refuse("SESSION_OVER", "the application ended this session");
    }

    private static JsonObject allow() {
        return Json.createObjectBuilder().add("allow", true).build();
    }

    private static JsonObject refuse(String code, String message) {
        return Json.createObjectBuilder().add("allow", false).add("code", code).add("message", message).build();
    }
}
