package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.EventStream;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.RawWebSocket;
import io.wscluster.it.support.Tokens;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SSE transport on the node as production runs it ("secure" container: signed tokens, channel rules,
 * an allowed origin, 10 connections per address, keep-alive comments every 2 s): a stream gets its
 * channels' messages with their position as the event id, obeys the channel rules a socket obeys, resumes
 * with {@code Last-Event-ID}, counts against the same per-address limits, ends when its token expires or
 * the server API disconnects its user; and a user's token publishes over REST as its socket would, and
 * opens nothing else.
 */
@ExtendWith(ArquillianExtension.class)
class EventStreamIT {

    private static final Node NODE = Node.atPort(18070);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    @TargetsContainer("secure")
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    private static EventStream open(String query, String token, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (token != null) {
            all.add("Authorization: Bearer " + token);
        }
        return EventStream.open(18070, "/sse" + query, all.toArray(String[]::new));
    }

    private static String publish(String channel, String data) {
        HttpResponse<String> response = NODE.postJson("/api/channels/" + channel + "/messages", data);
        assertEquals(202, response.statusCode(), response::body);
        return Node.json(response).getString("id");
    }

    private static void subscribed(EventStream stream, String channel) {
        stream.await(e -> e.type().equals("subscribed") && channel.equals(e.data().getString("channel")), WAIT);
    }

    @Test
    void aStreamDeliversItsChannelsMessagesWithItsPositionAsTheEventId() {
        try (EventStream stream = open("?channel=chat.sse1&channel=room.sse1", Tokens.hs256("alice", HOUR))) {
            assertEquals(200, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            assertEquals("no-store", stream.header("Cache-Control"));
            // The events are the body as it is, until the connection closes: no chunked framing announced.
            assertNull(stream.header("Transfer-Encoding"));
            assertEquals("close", stream.header("Connection"));
            subscribed(stream, "chat.sse1");
            subscribed(stream, "room.sse1");
            String first = publish("chat.sse1", "{\"n\":1}");
            EventStream.Event message = stream.awaitMessage("chat.sse1", WAIT);
            assertEquals(first, message.data().getString("id"));
            assertEquals(1, message.data().getJsonObject("data").getInt("n"));
            String epoch = message.data().getString("epoch");
            assertEquals("chat.sse1!" + epoch + "!1", message.id(), "the id holds the position on every channel with history");
            publish("room.sse1", "{\"n\":2}");
            EventStream.Event noHistory = stream.awaitMessage("room.sse1", WAIT);
            assertNull(noHistory.id(), "a channel without history has no position to resume from");
            publish("chat.sse1", "{\"n\":3}");
            assertEquals("chat.sse1!" + epoch + "!2", stream.awaitMessage("chat.sse1", WAIT).id());
        }
    }

    @Test
    void aChannelTheTokenDoesNotAllowIsRefusedByNameAndTheOthersStillFlow() {
        try (EventStream stream = open("?channel=vip.sse2&channel=zzz.sse2&channel=room.inbox%23bob&channel=chat.sse2",
                Tokens.hs256("alice", HOUR))) {
            Map<String, String> refused = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                JsonObject error = stream.await(e -> e.type().equals("error"), WAIT).data();
                refused.put(error.getString("channel"), error.getString("code"));
            }
            assertEquals(Map.of("vip.sse2", "PERMISSION_DENIED", "zzz.sse2", "UNKNOWN_CHANNEL", "room.inbox#bob", "PERMISSION_DENIED"), refused);
            subscribed(stream, "chat.sse2");
            publish("vip.sse2", "1");
            publish("chat.sse2", "2");
            assertEquals("2", stream.awaitMessage("chat.sse2", WAIT).data().get("data").toString());
            assertTrue(stream.seen().stream().noneMatch(e -> "vip.sse2".equals(e.data().getString("channel", null)) && e.type().equals("message")));
        }
        try (EventStream granted = open("?channel=vip.sse2", Tokens.hs256("alice", HOUR, List.of("vip.sse2"), List.of()))) {
            subscribed(granted, "vip.sse2");
        }
        // A server role in the token is no right on a stream, as on a socket.
        try (EventStream server = open("?channel=vip.sse2", Tokens.hs256("alice", HOUR, List.of(), List.of("server")))) {
            assertEquals("PERMISSION_DENIED", server.await(e -> e.type().equals("error"), WAIT).data().getString("code"));
        }
    }

    @Test
    void theTokenTravelsInTheHeaderNeverInTheUrl() {
        String token = Tokens.hs256("alice", HOUR);
        // A token in the URL is not read: the stream is anonymous, so only channels open to anyone are.
        try (EventStream stream = open("?channel=chat.sse3&channel=news&token=" + token + "&access_token=" + token, null)) {
            assertEquals(200, stream.status());
            assertEquals("UNAUTHORIZED", stream.await(e -> e.type().equals("error"), WAIT).data().getString("code"));
            subscribed(stream, "news");
        }
        try (EventStream forged = open("?channel=chat.sse3", Tokens.hs256("not-the-secret-not-the-secret-not-the-secret", "alice",
                System.currentTimeMillis() + 60_000))) {
            assertEquals(401, forged.status());
            assertEquals("Bearer", forged.header("WWW-Authenticate"));
            assertEquals("UNAUTHORIZED", forged.refusal().getString("code"));
        }
    }

    @Test
    void lastEventIdResumesWithWhatWasMissedOnceEachInOrder() {
        String token = Tokens.hs256("alice", HOUR);
        String lastId;
        try (EventStream stream = open("?channel=chat.sse4&channel=room.sse4", token)) {
            subscribed(stream, "chat.sse4");
            publish("chat.sse4", "1");
            publish("chat.sse4", "2");
            stream.awaitMessage("chat.sse4", WAIT);
            lastId = stream.awaitMessage("chat.sse4", WAIT).id();
        }
        List<String> missed = List.of(publish("chat.sse4", "3"), publish("chat.sse4", "4"), publish("chat.sse4", "5"));
        try (EventStream stream = open("?channel=chat.sse4&channel=room.sse4", token, "Last-Event-ID: " + lastId)) {
            EventStream.Event answer = stream.await(e -> e.type().equals("subscribed") && e.data().getString("channel").equals("chat.sse4"), WAIT);
            assertTrue(answer.data().getBoolean("recovered"), answer.data()::toString);
            List<String> replayed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replayed.add(stream.awaitMessage("chat.sse4", WAIT).data().getString("id"));
            }
            assertEquals(missed, replayed, "what was missed, once each, in order");
            String live = publish("chat.sse4", "6");
            EventStream.Event next = stream.awaitMessage("chat.sse4", WAIT);
            assertEquals(live, next.data().getString("id"), "then live messages, nothing twice");
            assertTrue(next.id().endsWith("!6"), next.id());
        }
        // A position in a stream that is not the channel's any more cannot be resumed: the client is told.
        try (EventStream stream = open("?channel=chat.sse4", token, "Last-Event-ID: chat.sse4!oldepoch!3")) {
            EventStream.Event answer = stream.await(e -> e.type().equals("subscribed"), WAIT);
            assertFalse(answer.data().getBoolean("recovered"), answer.data()::toString);
        }
    }

    @Test
    void aUsersTokenPublishesAsItsSocketWouldAndOpensNothingElse() {
        String alice = Tokens.hs256("alice", HOUR);
        HttpResponse<String> published = NODE.postAs("/api/channels/chat.sse5/messages", "{\"from\":\"alice\"}", alice);
        assertEquals(202, published.statusCode(), published::body);
        for (String channel : List.of("news", "inbox.sse5", "vip.sse5")) {
            HttpResponse<String> refused = NODE.postAs("/api/channels/" + channel + "/messages", "1", alice);
            assertEquals(403, refused.statusCode(), () -> channel + ": " + refused.body());
            assertEquals("PERMISSION_DENIED", Node.json(refused).getString("code"));
        }
        assertEquals(403, NODE.postAs("/api/channels/vip.sse5/messages", "1",
                Tokens.hs256("alice", HOUR, List.of(), List.of("vip.other"))).statusCode(), "a grant of another channel");
        assertEquals(202, NODE.postAs("/api/channels/vip.sse5/messages", "1",
                Tokens.hs256("alice", HOUR, List.of("vip.sse5"), List.of())).statusCode(), "a grant of this one");
        for (String path : List.of("/api/channels/chat.sse5/history", "/api/channels/chat.sse5/presence", "/api/channels/chat.sse5")) {
            assertEquals(401, NODE.getAs(path, alice).statusCode(), path);
        }
        for (String path : List.of("/api/users/bob/messages", "/api/users/alice/disconnect", "/api/publish/batch", "/api/broadcast")) {
            assertEquals(401, NODE.postAs(path, "{}", alice).statusCode(), path);
        }
        assertEquals(401, NODE.postAs("/api/channels/chat.sse5/messages", "1",
                Tokens.hs256("not-the-secret-not-the-secret-not-the-secret", "alice", System.currentTimeMillis() + 60_000)).statusCode());
    }

    @Test
    void streamsCountAgainstTheSameLimitsPerAddressAsSockets() {
        // The node believes X-Forwarded-For from 127.0.0.1 (its trusted proxy here); 10 connections per address.
        List<EventStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                EventStream stream = open("?channel=news", null, "X-Forwarded-For: 10.9.4.1");
                open.add(stream);
                assertEquals(200, stream.status());
            }
            try (EventStream eleventh = open("?channel=news", null, "X-Forwarded-For: 10.9.4.1");
                 RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.4.1\r\n")) {
                assertEquals(429, eleventh.status());
                assertEquals("1", eleventh.header("Retry-After"));
                assertEquals("RATE_LIMITED", eleventh.refusal().getString("code"));
                assertTrue(socket.handshakeStatus().contains(" 429 "), "streams and sockets share the count: " + socket.handshakeStatus());
            }
            open.remove(0).close();
            Await.until(() -> {
                try (EventStream again = open("?channel=news", null, "X-Forwarded-For: 10.9.4.1")) {
                    return again.status() == 200;
                }
            }, () -> "a closed stream is given back to its address");
        } finally {
            open.forEach(EventStream::close);
        }
    }

    @Test
    void aPageFromAnAllowedOriginMayReadTheStreamAndOthersMayNot() throws Exception {
        try (EventStream allowed = open("?channel=news", null, "Origin: http://127.0.0.1:18073")) {
            assertEquals(200, allowed.status());
            assertEquals("http://127.0.0.1:18073", allowed.header("Access-Control-Allow-Origin"));
        }
        try (EventStream foreign = open("?channel=news", null, "Origin: http://evil.example")) {
            assertEquals(403, foreign.status());
            assertEquals("ORIGIN_REFUSED", foreign.refusal().getString("code"));
        }
        HttpClient http = HttpClient.newHttpClient();
        Function<String, HttpResponse<String>> preflight = origin -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18070/sse")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin).header("Access-Control-Request-Headers", "authorization,last-event-id").build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        HttpResponse<String> ok = preflight.apply("http://127.0.0.1:18073");
        assertEquals(204, ok.statusCode());
        String allowedHeaders = ok.headers().firstValue("Access-Control-Allow-Headers").orElse("");
        assertTrue(allowedHeaders.contains("Authorization") && allowedHeaders.contains("Last-Event-ID"), allowedHeaders);
        assertEquals(403, preflight.apply("http://evil.example").statusCode());
        // The publish a page makes with its user's token: allowed for the same origin, with the same headers.
        HttpResponse<String> publishPreflight = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18070/api/channels/chat.sse7/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://127.0.0.1:18073").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, publishPreflight.statusCode(), publishPreflight::body);
        assertTrue(publishPreflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Idempotency-Key"));
    }

    @Test
    void aQuietStreamGetsKeepAliveCommentsAndEndsWhenItsTokenExpires() {
        try (EventStream stream = open("?channel=chat.sse8", Tokens.hs256("alice", Duration.ofSeconds(8)))) {
            subscribed(stream, "chat.sse8");
            Await.until(Duration.ofSeconds(7), () -> stream.comments() >= 2, () -> stream.comments() + " keep-alive comments");
            JsonObject closed = stream.await(e -> e.type().equals("closed"), WAIT).data();
            assertEquals(4004, closed.getInt("code"), closed::toString);
            Await.until(Duration.ofSeconds(10), stream::ended, () -> "the stream ends after its closed event");
        }
    }

    @Test
    void theServerApiReachesAUsersStreamsAndCanEndThem() {
        try (EventStream stream = open("", Tokens.hs256("carol", HOUR))) {
            assertEquals(200, stream.status(), "a stream without channels gets what is sent to its user");
            assertEquals(202, NODE.postJson("/api/users/carol/messages", "{\"hi\":\"carol\"}").statusCode());
            assertEquals("carol", stream.await(e -> e.type().equals("message"), WAIT).data().getJsonObject("data").getString("hi"));
            assertEquals(202, NODE.postJson("/api/users/carol/subscribe", "{\"channel\":\"chat.sse9\"}").statusCode());
            stream.await(e -> e.type().equals("subscribed") && e.data().getBoolean("server", false), WAIT);
            publish("chat.sse9", "9");
            assertTrue(stream.awaitMessage("chat.sse9", WAIT).id().startsWith("chat.sse9!"), "a channel the server added has its position too");
            assertEquals(202, NODE.postJson("/api/users/carol/disconnect", "{\"code\":4101,\"reason\":\"bye\"}").statusCode());
            JsonObject closed = stream.await(e -> e.type().equals("closed"), WAIT).data();
            assertEquals(4101, closed.getInt("code"));
            assertEquals("bye", closed.getString("reason"));
            Await.until(Duration.ofSeconds(10), stream::ended, () -> "the stream ends");
        }
    }
}
