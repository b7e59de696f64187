package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.Priority;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    private static JsonObject parse(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }

    @Test
    void messageFrameEmbedsDataAsJson() {
        Message message = new Message("n1-5", "news", null, "{\"a\":[1,\"x\"]}", 1234L, Origin.REST, Priority.NORMAL, null, null, 0);
        JsonObject frame = parse(ServerFrames.message(message));
        assertEquals("message", frame.getString("type"));
        assertEquals("news", frame.getString("channel"));
        assertEquals("n1-5", frame.getString("id"));
        assertEquals("x", frame.getJsonObject("data").getJsonArray("a").getString(1));
        assertEquals(1234L, frame.getJsonNumber("ts").longValue());
    }

    @Test
    void directMessageNamesItsUser() {
        JsonObject frame = parse(ServerFrames.message(new Message("n1-6", null, "bob", "1", 5L, Origin.EJB, Priority.HIGH, null, null, 0)));
        assertEquals("bob", frame.getString("to"));
        assertEquals(false, frame.containsKey("channel"));
    }

    @Test
    void errorTextIsEscaped() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007";
        JsonObject frame = parse(ServerFrames.error(ErrorCode.BAD_JSON, nasty, Json.createValue("r1")));
        assertEquals(nasty, frame.getString("message"));
        assertEquals("BAD_JSON", frame.getString("code"));
        assertEquals("r1", frame.getString("ref"));
    }

    @Test
    void repliesEchoTheRequestIdWithItsType() {
        assertEquals("{\"type\":\"pong\",\"id\":42}", ServerFrames.pong(Json.createValue(42)));
        assertEquals("{\"type\":\"pong\"}", ServerFrames.pong(null));
        assertEquals("{\"type\":\"subscribed\",\"channel\":\"news\",\"id\":\"s\"}",
                ServerFrames.subscribed("news", Json.createValue("s")));
        assertEquals("{\"type\":\"published\",\"id\":1,\"messageId\":\"n-1\"}",
                ServerFrames.published("n-1", Json.createValue(1)));
        assertEquals("{\"type\":\"published\",\"id\":1,\"messageId\":\"n-2\",\"epoch\":\"e\",\"offset\":7}",
                ServerFrames.published("n-2", Json.createValue(1), "e", 7));
        assertEquals("{\"type\":\"error\",\"code\":\"RATE_LIMITED\",\"message\":\"later\",\"ref\":3,\"retryAfterMs\":1500}",
                ServerFrames.error(ErrorCode.RATE_LIMITED, "later", Json.createValue(3), 1500));
    }
}
