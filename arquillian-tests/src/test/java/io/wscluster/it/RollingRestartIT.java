package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClientFleet;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.NodeScript;
import io.wscluster.it.support.SteadyPublisher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster.sh roll} replaces every node of a running cluster, one at a time, while 60 clients
 * subscribed through HAProxy to a channel with history receive what a publisher sends over REST throughout:
 * every node gets a new process, the cluster ends with the three READY, and every client has every
 * acknowledged message once, in order, with no resubscription unrecovered; HAProxy answered the publisher
 * without a 5xx it did not retry away (the publisher counts only 202s, and waits for each). The roll also
 * carries a changed channel list: a channel that did not exist is there on every node afterwards.
 */
class RollingRestartIT {

    private static final ClusterScript CLUSTER = new ClusterScript("roll-run", 18880, 17030, 17920);
    private static final String CHANNEL = "chat.roll";
    private static final int RATE = 5;

    @BeforeAll
    static void up() throws Exception {
        NodeScript.installDependencies();
        CLUSTER.run("up", "3");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
    }

    @Test
    void aRollReplacesEveryNodeWhileClientsLoseNothingAndGetNothingTwice() throws Exception {
        List<Long> before = List.of(CLUSTER.pid(1), CLUSTER.pid(2), CLUSTER.pid(3));
        try (ClientFleet fleet = new ClientFleet(URI.create("ws://127.0.0.1:" + CLUSTER.entryPort() + "/ws"), "roll", 60, 30, CHANNEL)) {
            Node entry = Node.atPort(CLUSTER.entryPort());
            SteadyPublisher publisher = new SteadyPublisher(List.of(entry), CHANNEL, RATE);
            Await.until(() -> publisher.acknowledged().size() >= 2 * RATE, () -> "acknowledged " + publisher.acknowledged());
            assertEquals(404, entry.postJson("/api/channels/fresh.roll/messages", "1").statusCode(), "no fresh.* channels yet");
            CLUSTER.withJavaOptions("-Dwscluster.channels=news{history=100},alerts{history=1000},chat.*{history=100;presence;join-leave},"
                    + "room.*,live.*{history=10;cache},fresh.*");
            long started = System.nanoTime();
            String rolled = CLUSTER.run(Duration.ofMinutes(10), "roll");
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            for (int i = 1; i <= 3; i++) {
                assertTrue(rolled.contains("node-" + i + "  pid"), rolled);
                assertNotEquals(before.get(i - 1), CLUSTER.pid(i), "node-" + i + " is a new process");
                assertEquals(202, CLUSTER.node(i).postJson("/api/channels/fresh.roll/messages", "1").statusCode(), "node-" + i + " knows fresh.*");
            }
            assertEquals(3, CLUSTER.node(1).readyNodeIds().size(), "the registry after the roll");
            Await.until(fleet::allReady, () -> "clients still moving");
            int sent = publisher.acknowledged().size();
            Await.until(() -> publisher.acknowledged().size() >= sent + RATE, () -> "publishing stalled at " + publisher.acknowledged().size());
            List<String> acknowledged = publisher.stop();
            Await.until(() -> fleet.missingAny(acknowledged).isEmpty(),
                    () -> fleet.missingAny(acknowledged).size() + " clients miss some of " + acknowledged.size());
            Set<String> expected = new HashSet<>(acknowledged);
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < fleet.size(); i++) {
                if (!fleet.received(i).stream().filter(expected::contains).toList().equals(acknowledged)) {
                    wrong.add(fleet.user(i));
                }
            }
            assertEquals(List.of(), wrong, "clients without every acknowledged message once, in order");
            assertEquals(0, fleet.unrecovered(), "resubscriptions that could not replay what was missed");
            System.out.printf("[roll] 3 nodes replaced in %d ms; %d acknowledged messages, each received once and in order by all %d clients%n",
                    tookMillis, acknowledged.size(), fleet.size());
        }
    }
}
