package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Metrics;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.NodeScript;
import io.wscluster.it.support.RawWebSocket;
import io.wscluster.it.support.Tokens;
import io.wscluster.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node as production runs it ("secure" container): a user is who a signed token says, channels allow
 * whom their configuration says, the server API and operations need their credentials, foreign pages
 * cannot open sockets, one address cannot take all connections, and everything refused is answered in JSON.
 */
@ExtendWith(ArquillianExtension.class)
class SecurityIT {

    private static final Node NODE = Node.atPort(18070);
    private static final Duration HOUR = Duration.ofHours(1);

    @Deployment(testable = false)
    @TargetsContainer("secure")
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    private static WsClient connectAs(String user, String token) {
        WsClient client = WsClient.connect(NODE.wsUri(user));
        JsonObject reply = client.request("auth", "{\"type\":\"connect\",\"token\":\"" + token + "\",\"id\":\"auth\"}");
        assertEquals("connected", reply.getString("type"), reply::toString);
        assertEquals(user, reply.getString("user"));
        return client;
    }

    private static String errorCode(WsClient client, String id, String frame) {
        JsonObject reply = client.request(id, frame);
        assertEquals("error", reply.getString("type"), reply::toString);
        return reply.getString("code");
    }

    /**
     * The memory attack an outside probe found: anonymous sockets each starting a frame of about 4 MiB and
     * holding it half sent. Nothing of a frame over the limit is buffered (before a token, 16 KiB); a frame
     * within it that is still arriving holds its length against the node's budget (256 KiB on this node)
     * until it ends or its socket does, and one that would go over closes its socket with 1013.
     */
    @Test
    void socketsWithoutATokenCannotMakeTheNodeHoldLargeFramesAndOthersDoNotNotice() throws Exception {
        List<RawWebSocket> attackers = new ArrayList<>();
        try (WsClient bystander = connectAs("bystander", Tokens.hs256("bystander", HOUR))) {
            long before = slowestPingMillis(bystander, 20);
            for (int i = 0; i < 16; i++) {
                RawWebSocket attacker = RawWebSocket.connect("127.0.0.1", 18070, "/ws", "X-Forwarded-For: 10.66.0." + (i / 8 + 1) + "\r\n");
                assertTrue(attacker.upgraded(), attacker.handshakeStatus());
                attackers.add(attacker);
                attacker.sendStart(RawWebSocket.TEXT, 4_194_000, new byte[512 * 1024]);
            }
            long during = slowestPingMillis(bystander, 20);
            assertEquals(0, Metrics.scrape(NODE).value("wscluster_socket_partial_frame_bytes"),
                    "8 MiB sent in frames over the limit, none of it held");
            assertTrue(during < Math.max(500, 10 * before), "the bystander's slowest ping: " + before + " ms, then " + during + " ms");
            // Within the limit, still arriving: held, and counted, until the frame ends.
            List<RawWebSocket> partial = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                RawWebSocket socket = RawWebSocket.connect("127.0.0.1", 18070, "/ws", "X-Forwarded-For: 10.66.1." + (i + 1) + "\r\n");
                partial.add(socket);
                socket.sendStart(RawWebSocket.TEXT, 15_000, new byte[100]);
                if (i < 17) {
                    int held = 15_000 * (i + 1);
                    Await.until(() -> Metrics.scrape(NODE).value("wscluster_socket_partial_frame_bytes") == held, () -> "held " + held);
                }
            }
            // The eighteenth would take the budget over 256 KiB: closed at once, before anything is buffered.
            assertEquals(1013, partial.get(17).readAll(10).stream().filter(f -> f.opcode() == RawWebSocket.CLOSE)
                    .findFirst().orElseThrow().closeCode());
            partial.forEach(RawWebSocket::close);
            Await.until(() -> Metrics.scrape(NODE).value("wscluster_socket_partial_frame_bytes") == 0, () -> "budget given back");
            assertEquals("pong", bystander.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"));
        } finally {
            attackers.forEach(RawWebSocket::close);
        }
    }

    /** The slowest of {@code count} ping round trips, in milliseconds. */
    private static long slowestPingMillis(WsClient client, int count) {
        long slowest = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            assertEquals("pong", client.request("p" + i, "{\"type\":\"ping\",\"id\":\"p" + i + "\"}").getString("type"));
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        }
        return slowest;
    }

    /** Payara's metrics and OpenAPI document need the operations token on the node too; its health stays open for probes. */
    @Test
    void theNodesOwnMetricsAndOpenApiNeedTheOperationsTokenAndHealthStaysOpen() throws Exception {
        for (String path : List.of("/metrics", "/metrics?scope=base", "//metrics", "/%6detrics", "/x/../metrics", "/metrics;x=y", "/openapi")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 18070)) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 401 ") && response.contains("\"code\":\"UNAUTHORIZED\""), path + ": " + response);
            }
        }
        assertEquals(401, NODE.getAs("/metrics", Node.API_KEY).statusCode(), "the server API's key is not the operations token");
        // A request upgraded to HTTP/2 (h2c) is checked like any other, and a refusal ends only its stream: the
        // first request (the upgrade) and the next ones on the same connection are all refused, none dropped.
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(NODE.uri("/metrics"))
                    .header("Authorization", "Bearer " + Node.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), response::body);
        }
        assertEquals(200, NODE.getAs("/metrics?scope=application", Node.ADMIN_TOKEN).statusCode());
        assertEquals(200, NODE.getAs("/health/ready", null).statusCode());
        assertEquals(200, NODE.getAs("/ready", null).statusCode());
    }

    /** The server's rights are the server API's: on a socket, a token's server role counts for nothing. */
    @Test
    void aServerRoleInATokenGivesASocketNoRightsBeyondTheChannelRules() {
        try (WsClient eve = connectAs("eve", Tokens.hs256("eve", HOUR, List.of(), List.of("server")))) {
            assertEquals("PERMISSION_DENIED", errorCode(eve, "a", "{\"type\":\"subscribe\",\"channel\":\"inbox.user#bob\",\"id\":\"a\"}"));
            assertEquals("PERMISSION_DENIED", errorCode(eve, "b", "{\"type\":\"publish\",\"channel\":\"inbox.user#bob\",\"data\":1,\"id\":\"b\"}"));
            assertEquals("PERMISSION_DENIED", errorCode(eve, "c", "{\"type\":\"publish\",\"channel\":\"news\",\"data\":1,\"id\":\"c\"}"));
            assertEquals("PERMISSION_DENIED", errorCode(eve, "d", "{\"type\":\"subscribe\",\"channel\":\"vip.lounge\",\"id\":\"d\"}"));
        }
        // The same token is still a server credential on REST.
        assertEquals(202, NODE.postAs("/api/channels/news/messages", "\"hi\"", Tokens.hs256("eve", HOUR, List.of(), List.of("server"))).statusCode());
    }

    @Test
    void aNumericSubjectIsNotAUserAndRefusalsDoNotQuoteTheLibrary() {
        try (WsClient client = WsClient.connect(NODE.wsUri(null))) {
            JsonObject reply = client.request("c", "{\"type\":\"connect\",\"token\":\"" + Tokens.hs256Claims("{\"sub\":123,\"exp\":"
                    + (System.currentTimeMillis() / 1000 + 3600) + "}") + "\",\"id\":\"c\"}");
            assertEquals("UNAUTHORIZED", reply.getString("code"), reply::toString);
            JsonObject forged = client.request("f", "{\"type\":\"connect\",\"token\":\"" + Tokens.hs256("it-wrong-secret-of-at-least-32-bytes!!", "bob",
                    System.currentTimeMillis() + 3_600_000) + "\",\"id\":\"f\"}");
            assertEquals("UNAUTHORIZED", forged.getString("code"), forged::toString);
            assertFalse(forged.getString("message").contains("JWS") || forged.getString("message").contains("Signed JWT"), forged::toString);
        }
    }

    /** A handshake sent a header line at a time (slowloris) is cut at the node's header deadline (3 s here). */
    @Test
    void aRequestWhoseHeaderNeverEndsIsCutAtTheDeadline() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 18070)) {
            socket.setSoTimeout(100);
            long start = System.nanoTime();
            socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            boolean cut = false;
            for (int line = 0; line < 100 && !cut; line++) {
                try {
                    socket.getOutputStream().write(("X-Slow-" + line + ": a\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    cut = socket.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // nothing from the node yet: send the next line, as a slow client would, a tenth of a second on
                } catch (IOException e) {
                    cut = true;
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            assertTrue(cut, "the node never closed a handshake whose header did not end");
            assertTrue(seconds >= 2 && seconds <= 8, "cut after " + seconds + " s");
        }
        // A socket whose handshake ended in time is not a request: it outlives the deadline, frames and all.
        try (WsClient client = connectAs("patient", Tokens.hs256("patient", HOUR))) {
            long until = System.nanoTime() + 5_000_000_000L;
            for (int i = 0; System.nanoTime() < until; i++) {
                assertEquals("pong", client.request("p" + i, "{\"type\":\"ping\",\"id\":\"p" + i + "\"}").getString("type"));
            }
        }
    }

    @Test
    void pathsTheContainerWouldMishandleAreRefusedInJsonOnTheNode() throws Exception {
        for (String request : List.of("GET /api/channels/%ZZ/messages HTTP/1.1", "POST /api/channels/%00/messages HTTP/1.1",
                "GET /nowhere HTTP/1.1")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 18070)) {
                socket.getOutputStream().write((request + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                String status = request.contains("nowhere") ? " 404 " : " 400 ";
                assertTrue(response.startsWith("HTTP/1.1" + status), request + ": " + response);
                assertTrue(response.contains("application/json") && response.contains("\"code\":\""), request + ": " + response);
            }
        }
    }

    @Test
    void aHeaderOverTheLimitIsRefusedInJsonBeforeTheCodecReadsIt() throws Exception {
        String bearer = "Authorization: Bearer " + "A".repeat(60_000) + "\r\n";
        String query = "?user=alice&pad=" + "q".repeat(16 * 1024);
        for (String request : List.of("GET /api/channels HTTP/1.1\r\n" + bearer, "GET /ws HTTP/1.1\r\n" + bearer
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
                "GET /ws" + query + " HTTP/1.1\r\n")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 18070)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write((request + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                String shown = request.substring(0, 40);
                assertTrue(response.startsWith("HTTP/1.1 431 "), () -> shown + ": " + response);
                assertTrue(response.contains("application/json") && response.contains("\"code\":\"HEADER_TOO_LARGE\""), () -> shown + ": " + response);
            }
        }
        // Refused before the codec parses a byte of it (so nothing of it is logged), and the node goes on serving.
        assertEquals(200, NODE.get("/health/ready").statusCode());
    }

    @Test
    void aFrameOverTheLimitBeforeATokenGetsAnErrorAndTheSocketStays() {
        try (RawWebSocket anonymous = RawWebSocket.connect(NODE.wsUri(null), 0)) {
            anonymous.send(true, RawWebSocket.TEXT, ("\"" + "x".repeat(20_000) + "\"").getBytes(StandardCharsets.UTF_8), true);
            JsonObject error = Json.createReader(new StringReader(anonymous.read().text())).readObject();
            assertEquals("MESSAGE_TOO_LARGE", error.getString("code"), error::toString);
            assertTrue(error.getString("message").contains("16384"), error::toString);
            anonymous.sendText("{\"type\":\"ping\",\"id\":\"p\"}");
            assertEquals("{\"type\":\"pong\",\"id\":\"p\"}", anonymous.read().text());
        }
    }

    @Test
    void theUserParameterProvesNothingAndAnotherUsersTokenClosesTheConnection() {
        try (WsClient alice = connectAs("alice", Tokens.hs256("alice", HOUR));
             WsClient mallory = WsClient.connect(NODE.wsUri("alice"))) {
            // Without a token, ?user=alice is only a routing hint: alice's inbox stays closed to mallory.
            assertEquals("UNAUTHORIZED", errorCode(mallory, "s", "{\"type\":\"subscribe\",\"channel\":\"inbox.user#alice\",\"id\":\"s\"}"));
            assertEquals("subscribed", alice.request("s", "{\"type\":\"subscribe\",\"channel\":\"inbox.user#alice\",\"id\":\"s\"}").getString("type"));
            // A valid token for someone else on a connection named alice: closed, 4003.
            mallory.send("{\"type\":\"connect\",\"token\":\"" + Tokens.hs256("mallory", HOUR) + "\",\"id\":\"c\"}");
            assertEquals(4003, mallory.awaitClose());
            // Private messages over REST need the server API's key; alice gets them.
            assertEquals(401, NODE.postAs("/api/users/alice/messages", "\"psst\"", null).statusCode());
            assertEquals(401, NODE.postAs("/api/users/alice/messages", "\"psst\"", Tokens.hs256("alice", HOUR)).statusCode(),
                    "a user's token is not a server credential");
            HttpResponse<String> sent = NODE.postAs("/api/users/alice/messages", "\"psst\"", Node.API_KEY);
            assertEquals(202, sent.statusCode(), sent::body);
            alice.awaitMessage(Node.json(sent).getString("id"));
            HttpResponse<String> byServerToken = NODE.postAs("/api/channels/news/messages", "\"by token\"",
                    Tokens.hs256("backend", HOUR, List.of(), List.of("server")));
            assertEquals(202, byServerToken.statusCode(), "a token with the server role is a server credential");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "unsigned", "expired", "wrong-secret", "no-sub", "bad-sub"})
    void badTokensGetUnauthorizedAndNothingElse(String kind) {
        long inAMinute = System.currentTimeMillis() + 60_000;
        String token = switch (kind) {
            case "unsigned" -> "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6NDEwMjQ0NDgwMH0.";
            case "expired" -> Tokens.hs256("alice", Duration.ofMinutes(-5));
            case "wrong-secret" -> Tokens.hs256("another-secret-another-secret-another-secret", "alice", inAMinute);
            case "no-sub" -> Tokens.hs256(Node.HMAC_SECRET, null, inAMinute);
            case "bad-sub" -> Tokens.hs256(Node.HMAC_SECRET, "../alice", inAMinute);
            default -> kind;
        };
        try (WsClient client = WsClient.connect(NODE.wsUri(null))) {
            assertEquals("UNAUTHORIZED", errorCode(client, "c", "{\"type\":\"connect\",\"token\":\"" + token + "\",\"id\":\"c\"}"));
            assertEquals("pong", client.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"), "the connection stays, anonymous");
        }
    }

    @Test
    void es256TokensVerifyWithTheConfiguredPublicKey() {
        try (WsClient carol = connectAs("carol", Tokens.es256("carol", HOUR))) {
            assertEquals("subscribed", carol.request("s", "{\"type\":\"subscribe\",\"channel\":\"chat.es\",\"id\":\"s\"}").getString("type"));
        }
    }

    @Test
    void anExpiringTokenClosesTheConnectionUnlessRefreshed() {
        try (WsClient lapsing = connectAs("dave", Tokens.hs256("dave", Duration.ofSeconds(3)));
             WsClient refreshed = connectAs("erin", Tokens.hs256("erin", Duration.ofSeconds(3)))) {
            JsonObject reply = refreshed.request("r", "{\"type\":\"refresh\",\"token\":\"" + Tokens.hs256("erin", HOUR) + "\",\"id\":\"r\"}");
            assertEquals("refreshed", reply.getString("type"), reply::toString);
            assertTrue(reply.getJsonNumber("expiresAt").longValue() > System.currentTimeMillis() + 60_000);
            assertEquals(4004, lapsing.awaitClose(), "closed at its token's expiry");
            // The refreshed one outlived the first token's expiry (which has now passed) and still answers.
            assertEquals("pong", refreshed.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"));
            // Refresh cannot change the user: a token for another one closes the connection.
            refreshed.send("{\"type\":\"refresh\",\"token\":\"" + Tokens.hs256("frank", HOUR) + "\",\"id\":\"r2\"}");
            assertEquals(4003, refreshed.awaitClose());
        }
    }

    @Test
    void channelPermissionsFollowTheConfiguration() {
        try (WsClient anonymous = WsClient.connect(NODE.wsUri(null));
             WsClient member = connectAs("gina", Tokens.hs256("gina", HOUR));
             WsClient vip = connectAs("hank", Tokens.hs256("hank", HOUR, List.of("vip.*"), List.of()))) {
            // news: anyone may read, only the server publishes.
            assertEquals("subscribed", anonymous.request("s", "{\"type\":\"subscribe\",\"channel\":\"news\",\"id\":\"s\"}").getString("type"));
            assertEquals("PERMISSION_DENIED", errorCode(member, "p", "{\"type\":\"publish\",\"channel\":\"news\",\"data\":1,\"id\":\"p\"}"));
            // chat.*: members only; anonymous is told to authenticate.
            assertEquals("UNAUTHORIZED", errorCode(anonymous, "c", "{\"type\":\"subscribe\",\"channel\":\"chat.a\",\"id\":\"c\"}"));
            assertEquals("UNAUTHORIZED", errorCode(anonymous, "cp", "{\"type\":\"publish\",\"channel\":\"chat.a\",\"data\":1,\"id\":\"cp\"}"));
            assertEquals("subscribed", member.request("c", "{\"type\":\"subscribe\",\"channel\":\"chat.a\",\"id\":\"c\"}").getString("type"));
            // vip.*: only tokens that grant it.
            assertEquals("PERMISSION_DENIED", errorCode(member, "v", "{\"type\":\"subscribe\",\"channel\":\"vip.lounge\",\"id\":\"v\"}"));
            assertEquals("subscribed", vip.request("v", "{\"type\":\"subscribe\",\"channel\":\"vip.lounge\",\"id\":\"v\"}").getString("type"));
            assertEquals("published", vip.request("vp", "{\"type\":\"publish\",\"channel\":\"vip.lounge\",\"data\":1,\"id\":\"vp\"}").getString("type"));
            // #user channels: only that user, whatever the pattern says; the server may send to them.
            assertEquals("PERMISSION_DENIED", errorCode(vip, "i", "{\"type\":\"subscribe\",\"channel\":\"inbox.user#gina\",\"id\":\"i\"}"));
            assertEquals("PERMISSION_DENIED", errorCode(member, "ip", "{\"type\":\"publish\",\"channel\":\"inbox.user#gina\",\"data\":1,\"id\":\"ip\"}"),
                    "inbox.* is publish=server");
            assertEquals("subscribed", member.request("i", "{\"type\":\"subscribe\",\"channel\":\"inbox.user#gina\",\"id\":\"i\"}").getString("type"));
            HttpResponse<String> toInbox = NODE.postAs("/api/channels/inbox.user%23gina/messages", "\"for gina\"", Node.API_KEY);
            assertEquals(202, toInbox.statusCode(), toInbox::body);
            member.awaitMessage(Node.json(toInbox).getString("id"));
            // Presence and history are read with the subscribe permission.
            assertEquals("UNAUTHORIZED", errorCode(anonymous, "pr", "{\"type\":\"presence\",\"channel\":\"chat.a\",\"id\":\"pr\"}"));
        }
    }

    @Test
    void theServerApiAndOperationsNeedTheirCredentialsAndAnswerInJson() {
        record Call(String method, String path, String bearer, int status) {
        }
        String user = Tokens.hs256("ivan", HOUR);
        List<Call> calls = List.of(
                new Call("POST", "/api/channels/news/messages", null, 401),
                new Call("POST", "/api/channels/news/messages", "wrong-key", 401),
                new Call("POST", "/api/channels/news/messages", Node.ADMIN_TOKEN, 401),
                new Call("POST", "/api/channels/news/messages", Node.API_KEY, 202),
                new Call("GET", "/api/channels/chat.a/history", user, 401),
                new Call("GET", "/api/channels/chat.a/history", Node.API_KEY, 200),
                new Call("GET", "/api/channels/chat.a/presence", null, 401),
                new Call("GET", "/api/cluster/nodes", null, 401),
                new Call("GET", "/api/cluster/nodes", Node.API_KEY, 401),
                new Call("GET", "/api/cluster/nodes", Node.ADMIN_TOKEN, 200),
                new Call("GET", "/api/affinity/alice", user, 401),
                new Call("GET", "/api/channels", null, 401),
                new Call("GET", "/api/channels", Node.ADMIN_TOKEN, 200),
                new Call("GET", "/api/metrics/history", null, 401),
                new Call("GET", "/api/cluster/scale", null, 401),
                new Call("POST", "/api/admin/drain", null, 401),
                new Call("POST", "/api/admin/drain", Node.API_KEY, 401),
                new Call("GET", "/api/application.wadl", Node.ADMIN_TOKEN, 404),
                new Call("GET", "/api/nothing/here", Node.ADMIN_TOKEN, 404),
                new Call("DELETE", "/api/channels/news/messages", Node.API_KEY, 405));
        HttpClient http = HttpClient.newHttpClient();
        for (Call call : calls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(NODE.uri(call.path())).header("Content-Type", "application/json")
                    .method(call.method(), call.method().equals("POST") ? HttpRequest.BodyPublishers.ofString("\"x\"") : HttpRequest.BodyPublishers.noBody());
            if (call.bearer() != null) {
                request.header("Authorization", "Bearer " + call.bearer());
            }
            HttpResponse<String> response = send(http, request.build());
            assertEquals(call.status(), response.statusCode(), () -> call + ": " + response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0], call::toString);
            jakarta.json.JsonValue body = Node.parse(response);
            if (call.status() >= 400) {
                assertFalse(body.asJsonObject().getString("code").isBlank(), call::toString);
            }
            assertTrue(response.headers().firstValue("Server").isEmpty(), "no Server banner");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep", "surrogate", "exponent", "long-number", "duplicate", "invalid-utf8", "latin1"})
    void restBodiesAreReadStrictlyAndRefusedInJson(String kind) {
        byte[] body = switch (kind) {
            case "deep" -> ("[".repeat(1000) + "]".repeat(1000)).getBytes(StandardCharsets.UTF_8);
            case "surrogate" -> "\"\\ud800\"".getBytes(StandardCharsets.UTF_8);
            case "exponent" -> "1e2147483648".getBytes(StandardCharsets.UTF_8);
            case "long-number" -> "1".repeat(1200).getBytes(StandardCharsets.UTF_8);
            case "duplicate" -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            case "invalid-utf8" -> new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'};
            default -> "\"caf\u00e9\"".getBytes(StandardCharsets.ISO_8859_1);
        };
        String type = kind.equals("latin1") ? "application/json; charset=ISO-8859-1" : "application/json";
        HttpResponse<String> response = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(NODE.uri("/api/channels/news/messages"))
                .header("Content-Type", type).header("Authorization", "Bearer " + Node.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(400, response.statusCode(), response::body);
        assertTrue(Node.json(response).getString("code").matches("INVALID_DATA|BAD_JSON"), response::body);
    }

    @Test
    void handshakesWithAForeignOriginOrAMalformedQueryAreRefused() {
        record Attempt(String query, String headers, String status) {
        }
        List<Attempt> attempts = List.of(
                new Attempt("", "Origin: http://evil.example\r\n", " 403 "),
                new Attempt("", "Origin: null\r\n", " 403 "),
                new Attempt("", "Origin: http://127.0.0.1:18070.evil.example\r\n", " 403 "),
                new Attempt("", "Origin: https://127.0.0.1:18070\r\n", " 403 "),
                new Attempt("", "Origin: http://127.0.0.1:18070\r\n", " 101 "),
                new Attempt("", "Origin: http://127.0.0.1:18073\r\n", " 101 "),
                new Attempt("", "", " 101 "),
                new Attempt("?user=%ZZ", "", " 400 "),
                new Attempt("?user=a^b", "", " 400 "),
                new Attempt("?user=alice&x=%ZZ", "", " 400 "),
                new Attempt("?user=%", "", " 400 "));
        for (Attempt attempt : attempts) {
            try (RawWebSocket socket = RawWebSocket.connect("127.0.0.1", 18070, "/ws" + attempt.query(), attempt.headers())) {
                assertTrue(socket.handshakeStatus().contains(attempt.status()), () -> attempt + " -> " + socket.handshakeStatus());
            }
        }
    }

    @Test
    void oneAddressCannotTakeMoreThanItsShareOfConnections() {
        // The node believes X-Forwarded-For from 127.0.0.1 (its trusted proxy here), so each test is its own address.
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.0.1\r\n");
                open.add(socket);
                assertTrue(socket.upgraded(), socket.handshakeStatus());
            }
            try (RawWebSocket eleventh = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.0.1\r\n");
                 RawWebSocket other = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.0.2\r\n")) {
                assertTrue(eleventh.handshakeStatus().contains(" 429 "), eleventh.handshakeStatus());
                assertTrue(other.upgraded(), "another address is unaffected");
            }
            open.forEach(RawWebSocket::close);
            open.clear();
            // Closed sockets are given back: the address may connect again.
            Await.until(() -> {
                try (RawWebSocket again = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.0.1\r\n")) {
                    return again.upgraded();
                }
            }, () -> "10.9.0.1 connects again after closing its sockets");
            // A burst of handshakes: beyond 30 per second, refused whatever else.
            int limited = 0;
            for (int i = 0; i < 80; i++) {
                try (RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0, "X-Forwarded-For: 10.9.0.3\r\n")) {
                    if (socket.handshakeStatus().contains(" 429 ")) {
                        limited++;
                    }
                }
            }
            assertTrue(limited > 0, "a burst of 80 handshakes from one address met the limit");
        } finally {
            open.forEach(RawWebSocket::close);
        }
    }

    @Test
    void aPageFromAnotherOriginCannotOpenASocketInARealBrowser() throws Exception {
        NodeScript.installDependencies();
        NodeScript.start("origin-check", "origin-check.mjs", "http://127.0.0.1:18070", "18072", "18073",
                Path.of("target", "origin-check.png").toAbsolutePath().toString()).assertSucceeds(90);
    }

    @Test
    void clusterShSignsTokensTheNodesAccept() throws Exception {
        Path run = Files.createTempDirectory(Path.of("target"), "token-run");
        Files.writeString(run.resolve("secrets.env"), "WSCLUSTER_AUTH_HMAC_SECRET=" + Node.HMAC_SECRET + "\n");
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "payara", "cluster.sh").toString(), "token", "judy", "600", "[\"vip.*\"]")
                .redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_RUN_DIR", run.toAbsolutePath().toString());
        Process process = builder.start();
        String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, process.waitFor(), token);
        try (WsClient judy = connectAs("judy", token)) {
            assertEquals("subscribed", judy.request("v", "{\"type\":\"subscribe\",\"channel\":\"vip.x\",\"id\":\"v\"}").getString("type"),
                    "the channels claim was signed in");
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
