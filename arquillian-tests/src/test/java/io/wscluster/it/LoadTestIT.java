package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.ClusterScript;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The load-test tool, run as a user runs it ({@code java -jar loadtest/target/wscluster-loadtest.jar}),
 * on tiny scenarios against two nodes behind HAProxy from cluster.sh: proves that it connects from
 * several processes, publishes over REST and sockets, accounts for every message, kills a node and
 * reports the failover, and writes its report. Figures are printed, never asserted (the machine is shared).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadTestIT {

    private static final ClusterScript CLUSTER = new ClusterScript("loadtest-run", 18780, 17020, 17910);
    private static final Path TOOL = Path.of("..", "loadtest", "target", "wscluster-loadtest.jar").toAbsolutePath().normalize();
    private static final Path REPORTS = Path.of("target", "loadtest-smoke").toAbsolutePath();

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.run("up", "2");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.run("down");
    }

    @Test
    @Order(1)
    void everyMessageIsAccountedForAcrossProcesses() throws Exception {
        Path report = REPORTS.resolve("rest");
        assertEquals(0, tool(report, "--connections=120", "--processes=2", "--source-addresses=2", "--ramp=200", "--max-in-flight=4",
                "--channels=skewed:4", "--subscriptions=2", "--rate=40", "--publish-via=rest", "--warmup=1s", "--duration=4s"));
        JsonObject json = json(report);
        JsonObject messages = json.getJsonObject("messages");
        assertEquals(120, json.getJsonObject("connections").getInt("maxSubscribed"));
        assertTrue(messages.getJsonNumber("published").longValue() >= 150, messages::toString);
        assertTrue(messages.getJsonNumber("expected").longValue() > messages.getJsonNumber("published").longValue(),
                "each message has several subscribers: " + messages);
        assertEquals(0, messages.getJsonNumber("lost").longValue(), messages::toString);
        assertEquals(0, messages.getJsonNumber("duplicates").longValue(), messages::toString);
        assertEquals(messages.getJsonNumber("expected").longValue(), messages.getJsonNumber("delivered").longValue(), messages::toString);
        assertTrue(json.getJsonObject("latencyMs").getJsonNumber("count").longValue() > 0);
        assertCharts(report, "latency-over-time", "latency-distribution", "throughput", "connections");
    }

    @Test
    @Order(2)
    void aKilledNodesClientsAreCountedBackAndTheirLossReported() throws Exception {
        Path report = REPORTS.resolve("kill");
        assertEquals(0, tool(report, "--connections=200", "--ramp=200", "--rate=20", "--warmup=1s", "--duration=8s",
                "--kill=node-2@3s", "--run-dir=" + CLUSTER.runDir()));
        JsonObject failover = json(report).getJsonObject("failover");
        assertTrue(failover != null, "the report has a failover section");
        int affected = failover.getInt("affected");
        assertTrue(affected > 0, () -> "node-2 held some of the 200 clients: " + failover);
        assertEquals(affected, failover.getInt("resubscribed"), failover::toString);
        assertEquals(0, failover.getInt("downAtEnd"), failover::toString);
        assertEquals(affected, failover.getJsonObject("killToResubscribedMs").getInt("count"));
        JsonObject phases = failover.getJsonObject("phasesMs");
        for (String phase : List.of("killToEnded", "endedToAttempt", "handshake", "subscribe")) {
            assertEquals(affected, phases.getJsonObject(phase).getInt("count"), () -> phase + " of every affected client: " + phases);
        }
        assertTrue(!ProcessHandle.of(CLUSTER.pid(2)).map(ProcessHandle::isAlive).orElse(false), "node-2 was killed");
        assertCharts(report, "latency-over-time", "throughput", "connections");
    }

    /** Runs the tool against HAProxy's entry; prints its output; returns its exit code. */
    private static int tool(Path report, String... options) throws IOException, InterruptedException {
        Files.createDirectories(report);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", TOOL.toString(), "--targets=ws://127.0.0.1:" + CLUSTER.entryPort() + "/ws", "--report=" + report,
                "--secrets=" + CLUSTER.runDir().resolve("secrets.env")));
        command.addAll(List.of(options));
        Path log = report.resolve("tool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the tool did not stop by itself: " + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("[loadtest] " + String.join(" ", options) + "\n" + output.lines()
                .filter(l -> !l.startsWith("[")).map(l -> "[loadtest] " + l).reduce("", (a, b) -> a + b + "\n"));
        return process.exitValue();
    }

    private static JsonObject json(Path report) throws IOException {
        try (Reader in = Files.newBufferedReader(report.resolve("report.json"))) {
            return Json.createReader(in).readObject();
        }
    }

    private static void assertCharts(Path report, String... names) throws IOException {
        for (String name : names) {
            BufferedImage image = ImageIO.read(report.resolve(name + ".png").toFile());
            assertTrue(image != null && image.getWidth() == 1000 && image.getHeight() == 500, name + ".png is a 1000x500 PNG");
        }
    }
}
