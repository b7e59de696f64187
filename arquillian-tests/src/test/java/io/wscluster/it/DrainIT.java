package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Draining a node: readiness goes DOWN at once, new connections are refused, existing clients are
 * closed with 1012 in waves spread over time, and the node exits and leaves the registry.
 */
class DrainIT {

    private static final ClusterScript CLUSTER = new ClusterScript("drain-run", 18480, 16980, 17880,
            "-Dwscluster.drain.spread-ms=2000 -Dwscluster.drain.waves=5");
    private static final int CLIENTS = 20;

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.run("up", "2");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
    }

    @Test
    void aDrainedNodeTurnsUnreadyMovesItsClientsAwayInWavesAndExits() throws Exception {
        Node draining = CLUSTER.node(2);
        long pid = CLUSTER.pid(2);
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(WsClient.connect(draining, "drained-" + i).subscribe("news"));
            }
            long start = System.nanoTime();
            List<CompletableFuture<Long>> closedAfter = clients.stream().map(c -> CompletableFuture.supplyAsync(() -> {
                int code = c.awaitClose();
                assertEquals(1012, code, "clients are told to reconnect elsewhere");
                return (System.nanoTime() - start) / 1_000_000;
            })).toList();

            HttpResponse<String> response = draining.postJson("/api/admin/drain", "");
            assertEquals(202, response.statusCode(), response::body);
            HttpResponse<String> readiness = draining.get("/health/ready");
            assertEquals(503, readiness.statusCode(), "readiness is DOWN as soon as the drain starts: " + readiness.body());
            assertTrue(readiness.body().contains("DRAINING"), readiness.body());
            // 404, not 503: HAProxy (http-check disable-on-404) stops sending it clients without marking it down,
            // which would cut the sessions the drain closes in waves.
            assertEquals(404, draining.get("/ready").statusCode(), "the load balancer's probe says: stopping");
            try (WsClient late = WsClient.connect(draining, "late")) {
                assertEquals(1013, late.awaitClose(), "no new clients while draining");
            }

            List<Long> millis = closedAfter.stream().map(CompletableFuture::join).sorted().toList();
            System.out.printf("drain: %d clients closed with 1012 between %d and %d ms%n", CLIENTS, millis.get(0), millis.get(CLIENTS - 1));
            assertTrue(millis.get(CLIENTS - 1) - millis.get(0) >= 1_000, "closes are spread out, not all at once: " + millis);

            Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), () -> "node-2 (pid " + pid + ") still running");
            Await.until(() -> !CLUSTER.node(1).registryIds().contains("node-2"), () -> "registry " + CLUSTER.node(1).registryIds());
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
