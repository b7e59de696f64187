package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.NodeScript;
import io.wscluster.it.support.Tokens;
import io.wscluster.it.support.WsClient;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pages in a real browser (headless Debian Chromium, driven by playwright-core) against a two-node
 * cluster from cluster.sh: the dashboard lists both nodes READY and its numbers move while traffic
 * flows; the demo page subscribes, publishes and shows messages from either node, and, opened through
 * HAProxy, keeps receiving after its node is killed; the client library falls back to SSE where WebSocket
 * is blocked. Screenshots are kept at arquillian-tests/target/dashboard.png, demo.png, sse-fallback.png
 * and demo-failover.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final ClusterScript CLUSTER = new ClusterScript("dashboard-run", 18380, 16970, 17870,
            "-Dwscluster.history.interval-ms=2000");
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png").toAbsolutePath();

    @BeforeAll
    static void up() throws Exception {
        NodeScript.installDependencies();
        CLUSTER.run("up", "2");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
    }

    @Test
    @Order(2)
    void theDashboardListsEveryNodeAndItsNumbersMoveWithTraffic() throws Exception {
        Node publisherNode = CLUSTER.node(1);
        try (WsClient subscriber = WsClient.connect(CLUSTER.node(2), "watcher").subscribe("room.dash")) {
            NodeScript check = NodeScript.start("dashboard-check", "dashboard-check.mjs", "http://127.0.0.1:18380",
                    SCREENSHOT.toString(), "node-1,node-2");
            // Traffic while the browser watches: bounded by the check's own timeouts and this deadline.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            int published = 0;
            while (check.isAlive() && System.nanoTime() < deadline) {
                publisherNode.postJson("/api/channels/room.dash/messages", Integer.toString(published++));
                check.waitFor(20);
            }
            check.assertSucceeds(10);
            assertTrue(published > 0 && subscriber.seen().stream().anyMatch(f -> "message".equals(f.getString("type"))),
                    "traffic flowed through the cluster");
            assertTrue(new File(SCREENSHOT.toString()).length() > 10_000, "a screenshot was saved");
        }
    }

    @Test
    @Order(1)
    void theDemoPageSubscribesPublishesAndShowsMessagesFromAnyNode() throws Exception {
        NodeScript.start("demo-check", "demo-check.mjs", "http://127.0.0.1:18380", "http://127.0.0.1:18381",
                Path.of("target", "demo.png").toAbsolutePath().toString()).assertSucceeds(120);
    }

    /**
     * Behind a proxy that refuses WebSocket upgrades, the client library in Chromium falls back to SSE
     * through HAProxy, receives, publishes with its user's token, outlasts HAProxy's timeouts while quiet,
     * and resumes after a network drop with what it missed (sse-fallback-check.mjs).
     */
    @Test
    @Order(3)
    void theClientFallsBackToServerSentEventsWhereWebSocketIsBlocked() throws Exception {
        NodeScript.start("sse-fallback-check", "sse-fallback-check.mjs", "http://127.0.0.1:" + CLUSTER.entryPort(), "18395",
                Tokens.hs256("fallback", Duration.ofHours(1)), Path.of("target", "sse-fallback.png").toAbsolutePath().toString())
                .assertSucceeds(150);
    }

    /** Last: it kills a node. */
    @Test
    @Order(4)
    void theDemoPageThroughHaproxySurvivesTheKillOfItsNode() throws Exception {
        NodeScript.start("demo-failover-check", "demo-failover-check.mjs", "http://127.0.0.1:" + CLUSTER.entryPort(),
                CLUSTER.runDir().toString(), Path.of("target", "demo-failover.png").toAbsolutePath().toString()).assertSucceeds(120);
        Node entry = Node.atPort(CLUSTER.entryPort());
        Await.until(() -> entry.readyNodeIds().size() == 1, () -> "the survivor's registry: " + entry.readyNodeIds());
    }
}
