package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.ClusterScript;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node warms up before it takes clients (wscluster.warmup.*): while WARMING its own loopback clients
 * exchange messages through its /ws and a client is turned away with 1013, a guessed pass included; READY
 * afterwards, with nothing of the warm-up left (no connection, no channel in its registry entry), and the
 * warm-up's channel out of every client's reach. The node is given more rounds than fit in its
 * wscluster.warmup.max-ms, so it stays WARMING for that long and then turns READY on the deadline.
 */
class WarmupIT {

    private static final long MAX_WARMUP_MILLIS = 10_000;
    private static final ClusterScript SCRIPT = new ClusterScript("warmup-run", 18980, 17040, 17930,
            "-Dwscluster.warmup.rounds=1000000 -Dwscluster.warmup.max-ms=" + MAX_WARMUP_MILLIS);
    private static final Node NODE = SCRIPT.node(1);
    /** A node's log line at the end of its warm-up: milliseconds, rounds, connections, deliveries received of expected. */
    static final Pattern WARMED = Pattern.compile("Warmed up in (\\d+) ms: (\\d+) rounds, (\\d+) connections, (\\d+) of (\\d+) deliveries");
    private static int refusedWhileWarming;
    private static String refusedReason;
    private static int guessedPassRefused;
    private static String log;

    @BeforeAll
    static void up() throws Exception {
        CompletableFuture<String> up = CompletableFuture.supplyAsync(() -> {
            try {
                return SCRIPT.run("up", "1");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        Path serverLog = SCRIPT.runDir().resolve("node-1/server.log");
        // WARMING, and serving /ws (its transport is mounted just after the state changes).
        Await.until(Duration.ofSeconds(180), () -> read(serverLog).contains("Node node-1 is WARMING")
                && read(serverLog).contains("WebSocket upgrades taken off the listener"), () -> "the node is WARMING: " + up);
        try (WsClient early = WsClient.connect(NODE, "early");
             WsClient guessing = WsClient.connect(URI.create("ws://127.0.0.1:" + NODE.port() + "/ws?user=guess&warmup=guess"))) {
            refusedWhileWarming = early.awaitClose();
            refusedReason = early.closeReason();
            guessedPassRefused = guessing.awaitClose();
        }
        assertFalse(read(serverLog).contains("Warmed up in"), "the clients above came while the node was still warming");
        String output = up.get(300, TimeUnit.SECONDS);
        assertTrue(output.contains("1 node(s) ready"), output);
        log = read(serverLog);
    }

    @AfterAll
    static void down() throws Exception {
        SCRIPT.run("down");
    }

    @Test
    void aClientIsTurnedAwayWhileTheNodeWarms() {
        assertEquals(1013, refusedWhileWarming);
        assertTrue(refusedReason.contains("WARMING"), refusedReason);
        assertEquals(1013, guessedPassRefused, "a guessed pass is no pass");
    }

    @Test
    void theWarmupExchangedMessagesThroughTheNodesOwnSocketsAndEndedOnItsDeadline() {
        Matcher warmed = WARMED.matcher(log);
        assertTrue(warmed.find(), log);
        long millis = Long.parseLong(warmed.group(1));
        assertTrue(millis >= MAX_WARMUP_MILLIS - 1_000 && millis < MAX_WARMUP_MILLIS + 5_000, "ended on its deadline: " + warmed.group());
        assertTrue(Integer.parseInt(warmed.group(2)) > 1 && Long.parseLong(warmed.group(4)) > 0, "rounds and deliveries: " + warmed.group());
        assertTrue(log.indexOf("Node node-1 is READY") > warmed.start(), "READY after the warm-up");
    }

    @Test
    void nothingOfTheWarmupIsLeft() {
        JsonObject entry = Node.jsonArray(NODE.get("/api/cluster/nodes")).getJsonObject(0);
        assertEquals("READY", entry.getString("state"));
        Await.until(Duration.ofSeconds(10), () -> {
            JsonObject now = Node.jsonArray(NODE.get("/api/cluster/nodes")).getJsonObject(0);
            return now.getInt("connections") == 0 && !now.toString().contains("$warmup");
        }, () -> "no connection or warm-up channel in the registry: " + Node.jsonArray(NODE.get("/api/cluster/nodes")));
    }

    @Test
    void noClientReachesTheWarmupChannel() {
        try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + NODE.port() + "/ws?user=mallory&warmup=guess"))) {
            JsonObject subscribe = client.request("s", "{\"type\":\"subscribe\",\"channel\":\"$warmup:node-1\",\"id\":\"s\"}");
            assertEquals("PERMISSION_DENIED", subscribe.getString("code"), subscribe.toString());
            JsonObject publish = client.request("p", "{\"type\":\"publish\",\"channel\":\"$warmup:node-1\",\"data\":1,\"id\":\"p\"}");
            assertEquals("PERMISSION_DENIED", publish.getString("code"), publish.toString());
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
