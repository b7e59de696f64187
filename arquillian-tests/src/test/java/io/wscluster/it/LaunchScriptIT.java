package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's run command: payara/cluster.sh brings up a node on loopback that serves clients, and stops it. */
class LaunchScriptIT {

    private static final Path SCRIPT = Path.of("..", "payara", "cluster.sh").toAbsolutePath().normalize();
    private static final Path RUN_DIR = Path.of("target", "script-run").toAbsolutePath();
    private static final int HTTP_PORT = 18180;
    private static final Node NODE = Node.atPort(HTTP_PORT);

    @BeforeAll
    static void up() throws Exception {
        String output = run("up", "1");
        assertTrue(output.contains("1 node(s) ready"), output);
    }

    @AfterAll
    static void down() throws Exception {
        run("down");
        assertFalse(Files.exists(RUN_DIR.resolve("node-1")), "down removes the node's directory");
    }

    @Test
    void nodeIsReadyAndDeliversBetweenTwoClients() {
        assertEquals(200, NODE.get("/health/ready").statusCode());
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("chat.script");
             WsClient bob = WsClient.connect(NODE, "bob").subscribe("chat.script")) {
            String id = alice.request("p", "{\"type\":\"publish\",\"channel\":\"chat.script\",\"data\":\"hello\",\"id\":\"p\"}")
                    .getString("messageId");
            assertEquals("hello", bob.awaitMessage(id).getString("data"));
            assertEquals("hello", alice.awaitMessage(id).getString("data"));
        }
    }

    @Test
    void statusReportsTheNodeReady() throws Exception {
        assertTrue(run("status").contains("node-1  pid"), "status lists the node");
        assertTrue(run("status").contains("ready"));
    }

    @Test
    void everyListeningSocketIsOnLoopback() throws Exception {
        String pid = Files.readString(RUN_DIR.resolve("node-1/pid")).strip();
        List<String> listeners = exec(List.of("ss", "-Hltnp")).lines().filter(l -> l.contains("pid=" + pid + ",")).toList();
        assertFalse(listeners.isEmpty(), "the node listens somewhere");
        for (String listener : listeners) {
            String local = listener.trim().split("\\s+")[3];
            assertTrue(local.startsWith("127.0.0.1:"), "listening beyond loopback: " + listener);
        }
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_RUN_DIR", RUN_DIR.toString());
        builder.environment().put("WSCLUSTER_HTTP_PORT", Integer.toString(HTTP_PORT));
        builder.environment().put("WSCLUSTER_HZ_PORT", "16950");
        builder.environment().put("WSCLUSTER_JGROUPS_PORT", "17850");
        Process process = builder.start();
        // The script bounds its own wait (WSCLUSTER_READY_TIMEOUT); this bounds the test.
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + output);
        return output;
    }
}
