package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nodes that fail rather than stop: a hung node (SIGSTOP) and a crashed one (kill -9) leave the others'
 * registry through JGroups failure detection, a hung node that resumes merges back in, and the
 * survivors report not ready once below the configured minimum of members. Three nodes
 * started by cluster.sh, signalled by the PIDs it recorded.
 */
@TestMethodOrder(OrderAnnotation.class)
class FailureDetectionIT {

    // Readiness requires the whole cluster, so losing a member must show on the survivors' readiness.
    private static final ClusterScript CLUSTER = new ClusterScript("failure-run", 18280, 16960, 17860,
            "-Dwscluster.health.min-members=3");
    private static final Node WATCHER = CLUSTER.node(1);

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.run("up", "3");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.signal(3, "CONT"); // in case a failed test left it stopped
        CLUSTER.run("down");
    }

    @Test
    @Order(1)
    void aHungNodeLeavesTheRegistryAndMergesBackWhenItResumes() throws Exception {
        long hungAt = System.nanoTime();
        CLUSTER.signal(3, "STOP");
        Await.until(() -> !WATCHER.registryIds().contains("node-3"), () -> "still registered: " + WATCHER.registryIds());
        long removedMillis = (System.nanoTime() - hungAt) / 1_000_000;

        long resumedAt = System.nanoTime();
        CLUSTER.signal(3, "CONT");
        Await.until(() -> WATCHER.readyNodeIds().equals(List.of("node-1", "node-2", "node-3")),
                () -> "after resuming: " + WATCHER.registryIds());
        long backMillis = (System.nanoTime() - resumedAt) / 1_000_000;
        System.out.printf("hung node: removed after %d ms, back after %d ms%n", removedMillis, backMillis);
        assertTrue(removedMillis < 3_000, "a hung node is suspected after about 1.5 s; took " + removedMillis + " ms");
    }

    @Test
    @Order(2)
    void aCrashedNodeLeavesTheRegistryWithinTwoSeconds() throws Exception {
        long killedAt = System.nanoTime();
        CLUSTER.signal(2, "KILL");
        Await.until(() -> !WATCHER.registryIds().contains("node-2"), () -> "still registered: " + WATCHER.registryIds());
        long removedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("crashed node: removed after %d ms%n", removedMillis);
        assertTrue(removedMillis < 2_000, "a crashed node leaves within 2 s; took " + removedMillis + " ms");
        Await.until(() -> CLUSTER.node(3).readyNodeIds().equals(List.of("node-1", "node-3")),
                () -> "node-3 sees " + CLUSTER.node(3).registryIds());

        HttpResponse<String> readiness = WATCHER.get("/health/ready");
        assertEquals(503, readiness.statusCode(), "readiness is DOWN below the minimum members: " + readiness.body());
        assertTrue(readiness.body().contains("\"members\":\"2\""), readiness.body());
    }
}
