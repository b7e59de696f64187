package io.wscluster.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Node.js check script from src/test/browser, run as a process with its output kept in target/NAME.log. */
public final class NodeScript {

    private static final Path DIR = Path.of("src", "test", "browser").toAbsolutePath();

    private final Process process;
    private final Path log;

    private NodeScript(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Installs the scripts' locked npm dependencies (playwright-core) once. */
    public static void installDependencies() throws IOException, InterruptedException {
        if (Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(300, TimeUnit.SECONDS), "npm ci did not finish");
        assertEquals(0, npm.exitValue(), "npm ci:\n" + output);
    }

    /** Starts {@code node nodeArgs...} in src/test/browser. */
    public static NodeScript start(String name, String... nodeArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(nodeArgs));
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_API_KEY", Node.API_KEY);
        builder.environment().put("WSCLUSTER_ADMIN_TOKEN", Node.ADMIN_TOKEN);
        Process process = builder
                .redirectOutput(log.toFile()).start();
        return new NodeScript(process, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code millis} for the script to end (a pacing wait for callers driving traffic meanwhile). */
    public void waitFor(long millis) throws InterruptedException {
        process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits (bounded) for the script to end, prints its output, and fails the test unless it exited 0. */
    public void assertSucceeds(long seconds) throws IOException, InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), log.getFileName() + ": the script did not finish");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, process.exitValue(), output);
    }
}
