package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.ClusterScript;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client library, served by the WAR, run in Node against two nodes from cluster.sh:
 * subscribe, receive, publish, survive the drain of its node by reconnecting elsewhere and
 * resubscribing, unsubscribe.
 */
class ClientLibraryIT {

    private static final ClusterScript CLUSTER = new ClusterScript("client-run", 18580, 16990, 17890,
            "-Dwscluster.drain.spread-ms=500");
    private static final Path BROWSER_TESTS = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path LIBRARY = Path.of("..", "web", "src", "main", "webapp", "client", "wscluster.js").toAbsolutePath();

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.run("up", "2");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
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
        Path log = Path.of("target", "client-check.log").toAbsolutePath();
        Process check = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings", "client-check.mjs",
                "http://127.0.0.1:18580", "http://127.0.0.1:18581")
                .directory(BROWSER_TESTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(check.waitFor(120, TimeUnit.SECONDS), "the client check did not finish");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, check.exitValue(), output);
    }
}
