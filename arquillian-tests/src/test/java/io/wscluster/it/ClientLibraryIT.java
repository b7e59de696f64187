package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wscluster.client.ClientMessage;
import io.wscluster.client.ClientState;
import io.wscluster.client.Member;
import io.wscluster.client.MemberEvent;
import io.wscluster.client.Presence;
import io.wscluster.client.PublishOptions;
import io.wscluster.client.RequestFailedException;
import io.wscluster.client.Transport;
import io.wscluster.client.WsclusterClient;
import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.NodeScript;
import io.wscluster.it.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client libraries against three nodes from cluster.sh: the JavaScript one (its npm package packed and
 * installed into an application run in Node; every node serves the same file) and the Java one each subscribe, receive, publish, survive the drain of their node by
 * reconnecting elsewhere and resubscribing, and unsubscribe. The JS client lives on node 2, the Java
 * client on node 3; each test drains its own.
 */
class ClientLibraryIT {

    private static final ClusterScript CLUSTER = new ClusterScript("client-run", 18580, 16990, 17890,
            "-Dwscluster.drain.spread-ms=500 -Dwscluster.channels=news{history=100},alerts{history=1000},vip.*{subscribe=granted},chat.*{history=100;presence;join-leave}");
    private static final Path LIBRARY = Path.of("..", "client-js", "wscluster.js").toAbsolutePath();

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.run("up", "3");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
    }

    @Test
    void theJavaClientReconnectsElsewhereAndResubscribesWhenItsNodeDrains() throws Exception {
        List<ClientMessage> messages = new CopyOnWriteArrayList<>();
        List<ClientState> states = new CopyOnWriteArrayList<>();
        Node home = CLUSTER.node(3);
        Node other = CLUSTER.node(1);
        try (WsclusterClient client = WsclusterClient.builder()
                .urls(List.of(URI.create("ws://127.0.0.1:18582/ws"), URI.create("ws://127.0.0.1:18580/ws")))
                .user("javauser").backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .onMessage(messages::add).onState(states::add).build()) {
            client.connect();
            client.subscribe("news").get(20, TimeUnit.SECONDS);
            String own = client.publish("news", "{\"n\":1}").get(20, TimeUnit.SECONDS);
            String viaRest = Node.json(other.postJson("/api/channels/news/messages", "{\"n\":2}")).getString("id");
            Await.until(() -> received(messages, own) && received(messages, viaRest), () -> "messages " + messages);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> client.subscribe("secret").get(20, TimeUnit.SECONDS));
            assertEquals("UNKNOWN_CHANNEL", ((RequestFailedException) refused.getCause()).code());

            long drainedAt = System.nanoTime();
            assertEquals(202, home.postJson("/api/admin/drain", "").statusCode());
            Await.until(() -> states.contains(ClientState.RECONNECTING) && states.get(states.size() - 1) == ClientState.OPEN,
                    () -> "states " + states);
            String[] afterReconnect = {null};
            Await.until(() -> {
                if (afterReconnect[0] != null && received(messages, afterReconnect[0])) {
                    return true;
                }
                afterReconnect[0] = Node.json(other.postJson("/api/channels/news/messages", "{\"n\":3}")).getString("id");
                return false;
            }, () -> "no message after reconnecting; states " + states);
            System.out.printf("java client: receiving again %d ms after its node began draining%n", (System.nanoTime() - drainedAt) / 1_000_000);

            client.unsubscribe("news").get(20, TimeUnit.SECONDS);
            client.subscribe("alerts").get(20, TimeUnit.SECONDS);
            String notForUs = Node.json(other.postJson("/api/channels/news/messages", "5")).getString("id");
            String marker = Node.json(other.postJson("/api/channels/alerts/messages", "6")).getString("id");
            Await.until(() -> received(messages, marker), () -> "marker " + messages);
            assertTrue(!received(messages, notForUs), "no news after unsubscribing");
        }
    }

    @Test
    void theJavaClientReportsAndForgetsAChannelRefusedWhenItReconnects() throws Exception {
        // The user's grant of vip.gold is withdrawn; the server API closes the user's connections with a
        // code the clients reconnect after (4500), and the new token no longer names the channel.
        List<String> grants = new CopyOnWriteArrayList<>(List.of("vip.gold"));
        List<String> refused = new CopyOnWriteArrayList<>();
        List<String> ready = new CopyOnWriteArrayList<>();
        List<ClientMessage> messages = new CopyOnWriteArrayList<>();
        try (WsclusterClient client = WsclusterClient.builder()
                .urls(List.of(URI.create("ws://127.0.0.1:18580/ws")))
                .token(() -> Tokens.hs256("vipuser", Duration.ofHours(1), List.copyOf(grants), List.of()))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .onResubscribeFailed((channel, failure) -> refused.add(channel + " " + ((RequestFailedException) failure).code()))
                .onReady(() -> ready.add("ready")).onMessage(messages::add).build()) {
            client.connect();
            client.subscribe("vip.gold").get(20, TimeUnit.SECONDS);
            client.subscribe("news").get(20, TimeUnit.SECONDS);
            grants.clear();
            int readyBefore = ready.size();
            assertEquals(202, CLUSTER.node(1).postJson("/api/users/vipuser/disconnect", "{\"code\":4500,\"reason\":\"grants changed\"}")
                    .statusCode());
            Await.until(() -> ready.size() > readyBefore, () -> "the client reconnected and resubscribed: " + ready);
            assertEquals(List.of("vip.gold PERMISSION_DENIED"), refused);
            String news = Node.json(CLUSTER.node(1).postJson("/api/channels/news/messages", "{\"n\":7}")).getString("id");
            Await.until(() -> received(messages, news), () -> "news still arrives: " + messages);
            // Forgotten: the next reconnect does not ask for it again.
            int readyAgain = ready.size();
            assertEquals(202, CLUSTER.node(1).postJson("/api/users/vipuser/disconnect", "{\"code\":4500}").statusCode());
            Await.until(() -> ready.size() > readyAgain, () -> "reconnected again: " + ready);
            assertEquals(1, refused.size(), () -> "asked for the refused channel again: " + refused);
        }
    }

    /** On node 1, the node no test drains. */
    @Test
    void theJavaClientSeesPresenceAndJoinsAndLeavesAndPublishesWithPriorityAndKey() throws Exception {
        List<MemberEvent> seen = new CopyOnWriteArrayList<>();
        List<ClientMessage> messages = new CopyOnWriteArrayList<>();
        try (WsclusterClient watcher = WsclusterClient.builder().urls(List.of(URI.create("ws://127.0.0.1:18580/ws"))).user("watcher")
                .onMember(seen::add).onMessage(messages::add).build()) {
            watcher.connect();
            watcher.subscribe("chat.java").get(20, TimeUnit.SECONDS);
            String id;
            try (WsclusterClient talker = WsclusterClient.builder().urls(List.of(URI.create("ws://127.0.0.1:18580/ws"))).user("talker").build()) {
                talker.connect();
                talker.subscribe("chat.java").get(20, TimeUnit.SECONDS);
                Await.until(() -> seen.stream().anyMatch(e -> e.type().equals("join") && e.member().user().equals("talker")),
                        () -> "the watcher saw the talker join: " + seen);
                Presence presence = watcher.presence("chat.java").get(20, TimeUnit.SECONDS);
                assertEquals(2, presence.count(), presence::toString);
                assertEquals(List.of("talker", "watcher"), presence.members().stream().map(Member::user).sorted().toList());
                id = talker.publish("chat.java", "{\"text\":\"hi\"}", PublishOptions.defaults().highPriority().key("topic")).get(20, TimeUnit.SECONDS);
            }
            Await.until(() -> received(messages, id), () -> "the talker's message: " + messages);
            Await.until(() -> seen.stream().anyMatch(e -> e.type().equals("leave") && e.member().user().equals("talker")),
                    () -> "the watcher saw the talker leave: " + seen);
            assertEquals("chat.java", seen.get(0).channel());
        }
    }

    /**
     * On node 1 too: the Java client over an event stream (forced; it falls back to one where a socket cannot
     * open) receives, publishes over REST with its token, and after the server closes it (4500) opens the
     * stream again from where it stood: what was published meanwhile arrives once.
     */
    @Test
    void theJavaClientOverServerSentEventsReceivesPublishesAndResumesAfterAClose() throws Exception {
        List<ClientMessage> messages = new CopyOnWriteArrayList<>();
        List<ClientState> states = new CopyOnWriteArrayList<>();
        try (WsclusterClient client = WsclusterClient.builder().urls(List.of(URI.create("ws://127.0.0.1:18580/ws")))
                .token(() -> Tokens.hs256("streamer", Duration.ofHours(1), List.of(), List.of())).transports(Transport.SSE)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).onMessage(messages::add).onState(states::add).build()) {
            client.connect();
            client.subscribe("news").get(20, TimeUnit.SECONDS);
            String viaRest = Node.json(CLUSTER.node(2).postJson("/api/channels/news/messages", "{\"n\":1}")).getString("id");
            String own = client.publish("news", "{\"n\":2}").get(20, TimeUnit.SECONDS);
            Await.until(() -> received(messages, viaRest) && received(messages, own), () -> "messages " + messages);
            assertEquals(Transport.SSE, client.transport());
            ExecutionException presence = assertThrows(ExecutionException.class, () -> client.presence("news").get(20, TimeUnit.SECONDS));
            assertEquals("NOT_SUPPORTED", ((RequestFailedException) presence.getCause()).code());

            assertEquals(202, CLUSTER.node(1).postJson("/api/users/streamer/disconnect", "{\"code\":4500}").statusCode());
            Await.until(() -> states.contains(ClientState.RECONNECTING), () -> "states " + states);
            String meanwhile = Node.json(CLUSTER.node(1).postJson("/api/channels/news/messages", "{\"n\":3}")).getString("id");
            Await.until(() -> received(messages, meanwhile) && states.get(states.size() - 1) == ClientState.OPEN, () -> "states " + states + ", messages " + messages);
            assertEquals(1, messages.stream().filter(m -> m.id().equals(meanwhile)).count(), () -> "once: " + messages);

            client.unsubscribe("news").get(20, TimeUnit.SECONDS);
            client.subscribe("alerts").get(20, TimeUnit.SECONDS);
            String notForUs = Node.json(CLUSTER.node(1).postJson("/api/channels/news/messages", "4")).getString("id");
            String marker = Node.json(CLUSTER.node(1).postJson("/api/channels/alerts/messages", "5")).getString("id");
            Await.until(() -> received(messages, marker), () -> "marker " + messages);
            assertTrue(!received(messages, notForUs), "no news after unsubscribing");
        }
    }

    private static boolean received(List<ClientMessage> messages, String id) {
        return messages.stream().anyMatch(m -> id.equals(m.id()));
    }

    @Test
    void everyNodeServesTheLibraryAtItsStablePath() throws Exception {
        HttpResponse<String> served = CLUSTER.node(1).get("/client/wscluster.js");
        assertEquals(200, served.statusCode());
        assertTrue(served.headers().firstValue("Content-Type").orElse("").contains("javascript"), served.headers().toString());
        assertEquals(Files.readString(LIBRARY, StandardCharsets.UTF_8), served.body());
    }

    @Test
    void theClientReconnectsElsewhereAndResubscribesWhenItsNodeDrains() throws Exception {
        Path app = NodeScript.withPackedClient("client-app", "client-check.mjs");
        NodeScript.startIn(app, "client-check", "--experimental-websocket", "--no-warnings", "client-check.mjs",
                "http://127.0.0.1:18580", "http://127.0.0.1:18581").assertSucceeds(120);
    }
}
