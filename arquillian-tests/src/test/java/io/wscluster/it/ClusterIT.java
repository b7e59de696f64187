package io.wscluster.it;

import static io.wscluster.it.support.DeliveryAssertions.assertNotDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three Payara Micro instances, each running the WAR the build produced, forming one cluster:
 * registry, affinity and broadcast across nodes. Node 3 is deployed by the first test and stopped by the last.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(OrderAnnotation.class)
class ClusterIT {

    private static final Node N1 = Node.atPort(18081);
    private static final Node N2 = Node.atPort(18082);
    private static final Node N3 = Node.atPort(18083);
    private static final List<Node> ALL = List.of(N1, N2, N3);
    private static final List<String> IDS = List.of("cluster-1", "cluster-2", "cluster-3");

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "cluster-1", testable = false)
    @TargetsContainer("cluster-1")
    static WebArchive node1() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-2", testable = false)
    @TargetsContainer("cluster-2")
    static WebArchive node2() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-3", testable = false, managed = false)
    @TargetsContainer("cluster-3")
    static WebArchive node3() {
        return Node.builtWar();
    }

    @Test
    @Order(1)
    void threeNodesFormOneClusterAndEveryNodeSeesTheSameRegistry() {
        deployer.deploy("cluster-3");
        for (Node node : ALL) {
            Await.until(() -> node.readyNodeIds().equals(IDS), () -> node + " sees " + node.readyNodeIds());
        }
        JsonObject one = Node.json(N2.get("/api/cluster/nodes/cluster-3"));
        assertEquals("http://127.0.0.1:18083", one.getString("httpUrl"));
        assertEquals("ws://127.0.0.1:18083/ws", one.getString("wsUrl"));
        assertEquals(404, N2.get("/api/cluster/nodes/nobody").statusCode());
    }

    @Test
    @Order(2)
    void aPublishOnAnyNodeReachesSubscribersOnEveryNodeAndOnlyThem() {
        try (WsClient a = WsClient.connect(N1, "a").subscribe("chat.x");
             WsClient b = WsClient.connect(N2, "b").subscribe("chat.x");
             WsClient c = WsClient.connect(N3, "c").subscribe("chat.x");
             WsClient other = WsClient.connect(N3, "other").subscribe("chat.y")) {
            String overSocket = a.request("p", "{\"type\":\"publish\",\"channel\":\"chat.x\",\"data\":\"socket@1\",\"id\":\"p\"}")
                    .getString("messageId");
            String overRest = Node.json(N2.postJson("/api/channels/chat.x/messages", "\"rest@2\"")).getString("id");
            for (WsClient subscriber : List.of(a, b, c)) {
                assertEquals("socket@1", subscriber.awaitMessage(overSocket).getString("data"));
                assertEquals("rest@2", subscriber.awaitMessage(overRest).getString("data"));
            }
            // Markers travel from the same origin node as the messages, so they arrive after them.
            assertNotDelivered(N1, other, overSocket);
            assertNotDelivered(N2, other, overRest);
        }
    }

    @Test
    @Order(3)
    void aUserMessageReachesThatUserOnWhicheverNodeItIs() {
        try (WsClient dora = WsClient.connect(N3, "dora"); WsClient doraToo = WsClient.connect(N2, "dora")) {
            String id = Node.json(N1.postJson("/api/users/dora/messages", "\"hi dora\"")).getString("id");
            assertEquals("hi dora", dora.awaitMessage(id).getString("data"));
            assertEquals("hi dora", doraToo.awaitMessage(id).getString("data"));
        }
    }

    @Test
    @Order(4)
    void everyNodeAgreesOnAUsersAffinityAndItsRelease() {
        try (WsClient ann = WsClient.connect(N2, "ann")) {
            ann.request("p", "{\"type\":\"ping\",\"id\":\"p\"}");
            for (Node node : ALL) {
                Await.until(() -> affinity(node, "ann").getString("node", "").equals("cluster-2")
                        && affinity(node, "ann").getBoolean("assigned"), () -> node + ": " + affinity(node, "ann"));
                assertEquals("cluster-2", affinity(node, "ann").getString("routeTo"), "a reconnect goes back home");
            }
        }
        for (Node node : ALL) {
            Await.until(() -> affinity(node, "ann").getBoolean("released", false), () -> node + ": " + affinity(node, "ann"));
        }
    }

    @Test
    @Order(5)
    void aBurstOfTenThousandFromOnePublisherArrivesCompleteAndInOrderOnEveryNode() {
        int count = 10_000;
        try (WsClient s1 = WsClient.connect(N1, "s1").subscribe("room.burst");
             WsClient s2 = WsClient.connect(N2, "s2").subscribe("room.burst");
             WsClient s3 = WsClient.connect(N3, "s3").subscribe("room.burst");
             WsClient publisher = WsClient.connect(N1, "publisher")) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                publisher.send("{\"type\":\"publish\",\"channel\":\"room.burst\",\"data\":" + i + "}");
            }
            for (WsClient subscriber : List.of(s1, s2, s3)) {
                // Completeness and order are asserted, not speed (bench/ measures that): the bound only
                // catches a stream that stopped, so it allows for a CI machine running three nodes on two cores.
                subscriber.await(f -> "message".equals(f.getString("type")) && f.getInt("data") == count - 1,
                        "the last message", Duration.ofSeconds(120));
                List<Integer> received = new ArrayList<>();
                subscriber.seen().stream().filter(f -> "message".equals(f.getString("type")))
                        .forEach(f -> received.add(f.getInt("data")));
                assertEquals(count, received.size(), "complete, no duplicates");
                for (int i = 0; i < count; i++) {
                    if (received.get(i) != i) {
                        throw new AssertionError("out of order at position " + i + ": got " + received.get(i));
                    }
                }
            }
            System.out.printf("burst: %d messages to 3 nodes in %d ms%n", count, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    @Order(5)
    void presenceIsClusterWideAndSubscribersHearJoinsAndLeaves() {
        try (WsClient ann = WsClient.connect(N1, "ann").subscribe("who.room");
             WsClient asker = WsClient.connect(N3, "asker")) {
            WsClient bob = WsClient.connect(N2, "bob").subscribe("who.room");
            JsonObject join = ann.await(f -> "join".equals(f.getString("type")) && "bob".equals(f.getJsonObject("member").getString("user")),
                    "bob's join");
            assertEquals("who.room", join.getString("channel"));
            assertEquals("cluster-2", join.getJsonObject("member").getString("node"));
            Await.until(() -> presenceUsers(asker.request("w", "{\"type\":\"presence\",\"channel\":\"who.room\",\"id\":\"w\"}"))
                    .equals(List.of("ann", "bob")), () -> "presence on cluster-3");
            JsonObject overRest = Node.json(N3.get("/api/channels/who.room/presence"));
            assertEquals(2, overRest.getInt("count"));
            assertEquals(2, overRest.getInt("users"));
            assertTrue(overRest.getBoolean("complete"));

            bob.close();
            ann.await(f -> "leave".equals(f.getString("type")) && "bob".equals(f.getJsonObject("member").getString("user")), "bob's leave");
            Await.until(() -> presenceUsers(Node.json(N1.get("/api/channels/who.room/presence"))).equals(List.of("ann")),
                    () -> "presence on cluster-1 after bob left");

            JsonObject refused = asker.request("r", "{\"type\":\"presence\",\"channel\":\"room.none\",\"id\":\"r\"}");
            assertEquals("NOT_ENABLED", refused.getString("code"));
            assertEquals(404, N1.get("/api/channels/room.none/presence").statusCode());
        }
    }

    @Test
    @Order(5)
    void aChannelsHistoryIsReadableOverRestOnEveryNode() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonObject accepted = Node.json(ALL.get(i).postJson("/api/channels/hist.rest/messages", Integer.toString(i)));
            assertEquals(i + 1, accepted.getInt("offset"), "the 202 carries the position: " + accepted);
            ids.add(accepted.getString("id"));
        }
        JsonObject latest = Node.json(N3.get("/api/channels/hist.rest/history?limit=2"));
        assertEquals(ids.subList(1, 3), historyIds(latest));
        assertEquals(3, latest.getInt("offset"));
        String epoch = latest.getString("epoch");
        JsonObject since = Node.json(N2.get("/api/channels/hist.rest/history?since=1&epoch=" + epoch));
        assertTrue(since.getBoolean("recovered"));
        assertEquals(ids.subList(1, 3), historyIds(since));
        assertEquals(1, since.getJsonArray("messages").getJsonObject(0).getInt("data"), "messages as the socket's message frames");
        assertEquals(false, Node.json(N1.get("/api/channels/hist.rest/history?since=1&epoch=other")).getBoolean("recovered"));
        assertEquals(404, N1.get("/api/channels/room.plain/history").statusCode(), "no history configured");
        assertEquals(404, N1.get("/api/channels/secret/history").statusCode(), "no such channel");
        assertEquals(400, N1.get("/api/channels/hist.rest/history?limit=0").statusCode());
        assertEquals(400, N1.get("/api/channels/hist.rest/history?since=-1").statusCode());
    }

    @Test
    @Order(5)
    void aPublishRepeatedWithItsIdempotencyKeyOnAnotherNodeIsStoredAndDeliveredOnce() {
        try (WsClient subscriber = WsClient.connect(N3, "once").subscribe("hist.once")) {
            JsonObject first = Node.json(N1.postJson("/api/channels/hist.once/messages", "\"first\"", "order-17"));
            JsonObject again = Node.json(N2.postJson("/api/channels/hist.once/messages", "\"again\"", "order-17"));
            assertEquals(first, again, "the repeat gets the first's id and position");
            // Over sockets the same: the publish frame's idempotencyKey.
            String frame = "{\"type\":\"publish\",\"channel\":\"hist.once\",\"data\":\"%s\",\"idempotencyKey\":\"socket-1\",\"id\":\"p\"}";
            JsonObject overSocket;
            JsonObject repeated;
            try (WsClient one = WsClient.connect(N1, "one"); WsClient two = WsClient.connect(N2, "two")) {
                overSocket = one.request("p", frame.formatted("socket"));
                repeated = two.request("p", frame.formatted("socket again"));
            }
            assertEquals(overSocket, repeated, "the repeat gets the first's published reply");
            String after = Node.json(N2.postJson("/api/channels/hist.once/messages", "\"after\"")).getString("id");
            subscriber.awaitMessage(after);
            assertEquals(List.of("first", "socket", "after"), subscriber.seen().stream().filter(f -> "message".equals(f.getString("type")))
                    .map(f -> f.getString("data")).toList(), "each once, the repeats not at all");
            assertEquals(List.of(first.getString("id"), overSocket.getString("messageId"), after),
                    historyIds(Node.json(N3.get("/api/channels/hist.once/history"))), "stored once");
            // A channel without history is deduplicated by the cluster's window of keys.
            try (WsClient roomSubscriber = WsClient.connect(N3, "room-once").subscribe("room.once")) {
                JsonObject once = Node.json(N1.postJson("/api/channels/room.once/messages", "\"once\"", "k-1"));
                assertEquals(once, Node.json(N2.postJson("/api/channels/room.once/messages", "\"twice\"", "k-1")), "the window's answer");
                String next = Node.json(N2.postJson("/api/channels/room.once/messages", "\"next\"")).getString("id");
                roomSubscriber.awaitMessage(next);
                assertEquals(List.of("once", "next"), roomSubscriber.seen().stream().filter(f -> "message".equals(f.getString("type")))
                        .map(f -> f.getString("data")).toList(), "no history, still once");
            }
            assertEquals(400, N1.postJson("/api/channels/hist.once/messages", "1", "no spaces").statusCode());
        }
    }

    private static List<String> presenceUsers(JsonObject presence) {
        return presence.getJsonArray("members").stream().map(m -> m.asJsonObject().getString("user")).sorted().toList();
    }

    private static List<String> historyIds(JsonObject history) {
        return history.getJsonArray("messages").stream().map(m -> m.asJsonObject().getString("id")).toList();
    }

    @Test
    @Order(6)
    void aStoppedNodeLeavesTheRegistryOfTheOthersWithinTwoSeconds() throws Exception {
        long stoppedAt = System.nanoTime();
        // Watch from the moment the stop begins: undeploy itself waits for the process to exit.
        CompletableFuture<Long> gone = CompletableFuture.supplyAsync(() -> {
            Await.until(() -> !N1.registryIds().contains("cluster-3") && !N2.registryIds().contains("cluster-3"),
                    () -> "cluster-3 still registered: " + N1.registryIds());
            return (System.nanoTime() - stoppedAt) / 1_000_000;
        });
        deployer.undeploy("cluster-3");
        long millis = gone.get(30, TimeUnit.SECONDS);
        System.out.printf("stopped node left the registry after %d ms%n", millis);
        assertTrue(millis < 2_000, "cluster-3 left the registry after " + millis + " ms");
        Await.until(() -> N1.readyNodeIds().equals(List.of("cluster-1", "cluster-2")), () -> "registry " + N1.registryIds());
    }

    private static JsonObject affinity(Node node, String user) {
        return Node.json(node.get("/api/affinity/" + user));
    }
}
