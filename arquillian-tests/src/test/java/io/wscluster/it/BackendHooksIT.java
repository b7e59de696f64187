package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.backend.HooksApplication;
import io.wscluster.it.backend.HooksResource;
import io.wscluster.it.support.EventStream;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.Tokens;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application's backend decides ("node-with-backend" container: the built WAR, and this test's backend
 * deployed beside it as {@code /backend}; connect and refresh hooks on, {@code hooked.*} asking about
 * subscribes and publishes, a 500 ms timeout, refuse when down): each decision (allow, refuse with the
 * application's code, grant a channel, rewrite data, extend then end a session, no answer in time) reaches
 * the client on a socket, an event stream or REST.
 */
@ExtendWith(ArquillianExtension.class)
class BackendHooksIT {

    private static final Node NODE = Node.underTest();
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int WARM_ATTEMPTS = 5;

    @Deployment(testable = false)
    @TargetsContainer("node-with-backend")
    static WebArchive backend() {
        return ShrinkWrap.create(WebArchive.class, "backend.war").addClasses(HooksApplication.class, HooksResource.class);
    }

    private static WsClient socket() {
        return WsClient.connect(NODE.wsUri(null));
    }

    private static JsonObject connect(WsClient client, String user) {
        return client.request("auth", "{\"type\":\"connect\",\"token\":\"" + Tokens.hs256(user, HOUR) + "\",\"id\":\"auth\"}");
    }

    private static WsClient connected(String user) {
        WsClient client = socket();
        JsonObject reply = connect(client, user);
        assertEquals("connected", reply.getString("type"), reply::toString);
        return client;
    }

    private static EventStream stream(String user, String query) {
        return EventStream.open(NODE.port(), "/sse" + query, "Authorization: Bearer " + Tokens.hs256(user, HOUR));
    }

    /**
     * The backend was deployed just before: its first answers, and the node's first calls to it, pay a cold
     * start that on a busy machine can pass the 500 ms these tests allow. One user's connect, subscribe and
     * publish, each asked again until answered (at most {@value #WARM_ATTEMPTS} times, under the 20 calls the
     * circuit breaker needs to open), leave both warm; the tests are about the decisions, not the cold start.
     */
    @BeforeAll
    static void backendAnswers() {
        answered(() -> {
            try (WsClient client = socket()) {
                return connect(client, "warm-up");
            }
        }, "connected");
        try (WsClient client = connected("warm-up")) {
            answered(() -> client.request("s", "{\"type\":\"subscribe\",\"channel\":\"hooked.warm\",\"id\":\"s\"}"), "subscribed");
            answered(() -> client.request("p", "{\"type\":\"publish\",\"channel\":\"hooked.warm\",\"data\":\"hi\",\"id\":\"p\"}"), "published");
        }
    }

    private static void answered(Supplier<JsonObject> ask, String expected) {
        JsonObject reply = null;
        for (int attempt = 0; attempt < WARM_ATTEMPTS; attempt++) {
            reply = ask.get();
            if (expected.equals(reply.getString("type"))) {
                return;
            }
            assertEquals("UNAVAILABLE", reply.getString("code"), reply::toString);
        }
        throw new AssertionError("the backend did not answer in " + WARM_ATTEMPTS + " tries: " + reply);
    }

    @Test
    void aConnectTheBackendRefusesGetsItsCodeOnASocketAndAStream() {
        try (WsClient mallory = socket()) {
            JsonObject reply = connect(mallory, "mallory");
            assertEquals("error", reply.getString("type"), reply::toString);
            assertEquals("BANNED_BY_APP", reply.getString("code"));
            assertEquals("mallory may not connect", reply.getString("message"));
        }
        try (EventStream mallory = stream("mallory", "?channel=hooked.open")) {
            assertEquals(403, mallory.status());
            assertEquals("BANNED_BY_APP", mallory.refusal().getString("code"));
        }
        try (WsClient ok = connected("olga")) {
            assertEquals("subscribed", ok.request("s", "{\"type\":\"subscribe\",\"channel\":\"hooked.open\",\"id\":\"s\"}").getString("type"));
        }
    }

    @Test
    void aChannelTheBackendGrantsOnConnectCanBeSubscribedByThatUserOnly() {
        String subscribe = "{\"type\":\"subscribe\",\"channel\":\"vip.grace\",\"id\":\"s\"}";
        try (WsClient grace = connected("grace"); WsClient henry = connected("henry")) {
            assertEquals("subscribed", grace.request("s", subscribe).getString("type"));
            JsonObject refused = henry.request("s", subscribe);
            assertEquals("PERMISSION_DENIED", refused.getString("code"), refused::toString);
        }
    }

    @Test
    void aSubscribeTheBackendRefusesGetsItsCodeWhileOtherChannelsOpen() {
        try (WsClient ivan = connected("ivan")) {
            JsonObject refused = ivan.request("s", "{\"type\":\"subscribe\",\"channel\":\"hooked.closed\",\"id\":\"s\"}");
            assertEquals("ROOM_CLOSED", refused.getString("code"), refused::toString);
            assertEquals("this room is closed", refused.getString("message"));
        }
        try (EventStream ivan = stream("ivan", "?channel=hooked.closed&channel=hooked.open")) {
            assertEquals(200, ivan.status());
            // The backend answers the two channels' subscribes in either order.
            Map<String, JsonObject> answers = new HashMap<>();
            while (answers.size() < 2) {
                EventStream.Event answer = ivan.await(e -> e.type().equals("error") || e.type().equals("subscribed"), WsClient.TIMEOUT);
                answers.put(answer.type(), answer.data());
            }
            assertEquals("hooked.closed", answers.get("error").getString("channel"));
            assertEquals("ROOM_CLOSED", answers.get("error").getString("code"));
            assertEquals("hooked.open", answers.get("subscribed").getString("channel"));
        }
    }

    @Test
    void aPublishTheBackendRewritesIsDeliveredRewrittenAndOneItRefusesNowhere() {
        try (WsClient reader = connected("rita"); WsClient writer = connected("walt")) {
            assertEquals("subscribed", reader.request("s", "{\"type\":\"subscribe\",\"channel\":\"hooked.open\",\"id\":\"s\"}").getString("type"));
            JsonObject refused = writer.request("p1", "{\"type\":\"publish\",\"channel\":\"hooked.open\",\"data\":\"forbidden word\",\"id\":\"p1\"}");
            assertEquals("MODERATED", refused.getString("code"), refused::toString);
            // Over REST with the user's own token: the same hook, the same code.
            HttpResponse<String> rest = NODE.postAs("/api/channels/hooked.open/messages", "\"forbidden word\"", Tokens.hs256("walt", HOUR));
            assertEquals(403, rest.statusCode(), rest::body);
            assertEquals("MODERATED", Node.json(rest).getString("code"));
            JsonObject published = writer.request("p2", "{\"type\":\"publish\",\"channel\":\"hooked.open\",\"data\":\"rewrite me\",\"id\":\"p2\"}");
            assertEquals("published", published.getString("type"), published::toString);
            JsonObject delivered = reader.awaitMessage(published.getString("messageId"));
            assertEquals("rewritten", delivered.getJsonObject("data").getString("text"));
            assertEquals("walt", delivered.getJsonObject("data").getString("by"));
            List<String> data = reader.seen().stream().filter(f -> "message".equals(f.getString("type")))
                    .map(f -> f.get("data").toString()).toList();
            assertEquals(1, data.size(), "the refused publishes went nowhere: " + data);
        }
    }

    @Test
    void theBackendExtendsAnExpiringSessionOnceThenEndsIt() {
        long before = System.currentTimeMillis();
        try (WsClient brief = socket()) {
            JsonObject connected = connect(brief, "brief");
            assertEquals("connected", connected.getString("type"), connected::toString);
            long expiresAt = connected.getJsonNumber("expiresAt").longValue();
            assertTrue(expiresAt < before + HOUR.toMillis() / 2, "the backend's expiry, not the token's: " + connected);
            JsonObject refreshed = brief.await(f -> "refreshed".equals(f.getString("type")), "the backend's refresh");
            assertTrue(refreshed.getBoolean("server"));
            assertTrue(refreshed.getJsonNumber("expiresAt").longValue() > expiresAt, refreshed::toString);
            assertEquals(4004, brief.awaitClose());
            assertEquals("the application ended this session", brief.closeReason());
            assertTrue(System.currentTimeMillis() - before >= 2 * HooksResource.BRIEF_MILLIS, "lived through one refresh");
        }
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeRefusesWithUnavailable() {
        try (WsClient sloth = socket()) {
            long started = System.nanoTime();
            JsonObject reply = connect(sloth, "sloth");
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals("UNAVAILABLE", reply.getString("code"), reply::toString);
            assertTrue(tookMillis < 2_500, "refused at the timeout, not after the backend's 3 s: " + tookMillis + " ms");
        }
    }
}
