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
    private static final Path CLIENT_PACKAGE = Path.of("..", "client-js").toAbsolutePath().normalize();

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
        npm(DIR, 300, "ci", "--no-audit", "--no-fund");
    }

    /** Starts {@code node nodeArgs...} in src/test/browser. */
    public static NodeScript start(String name, String... nodeArgs) throws IOException {
        return startIn(DIR, name, nodeArgs);
    }

    /** Starts {@code node nodeArgs...} in {@code dir}. */
    public static NodeScript startIn(Path dir, String name, String... nodeArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(nodeArgs));
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("WSCLUSTER_API_KEY", Node.API_KEY);
        builder.environment().put("WSCLUSTER_ADMIN_TOKEN", Node.ADMIN_TOKEN);
        Process process = builder
                .redirectOutput(log.toFile()).start();
        return new NodeScript(process, log);
    }

    /**
     * An application directory (target/NAME) with the JavaScript client installed from its npm package, as a
     * user installs it: client-js/ packed with {@code npm pack}, the tarball installed with {@code npm install}
     * (the package has no dependencies, so no registry is asked), and {@code scripts} from src/test/browser
     * copied beside it, where they import it by its name.
     */
    public static Path withPackedClient(String name, String... scripts) throws IOException, InterruptedException {
        Path app = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(app);
        String tarball = npm(app, 120, "pack", CLIENT_PACKAGE.toString(), "--pack-destination", app.toString()).strip().lines()
                .reduce((first, last) -> last).orElseThrow();
        Files.writeString(app.resolve("package.json"), "{\"name\":\"" + name + "\",\"private\":true,\"type\":\"module\","
                + "\"dependencies\":{\"wscluster-client\":\"file:" + tarball + "\"}}\n");
        npm(app, 120, "install", "--offline", "--no-audit", "--no-fund");
        for (String script : scripts) {
            Files.copy(DIR.resolve(script), app.resolve(script), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return app;
    }

    /**
     * Runs {@code npm args...} in {@code dir}, at most {@code seconds}; fails the test unless it exits 0.
     * Returns its standard output; its errors go to a file (read only on failure), so neither pipe can fill
     * while the other is read.
     */
    private static String npm(Path dir, long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("npm"));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile(Path.of("target"), "npm", ".err");
        Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectError(errors.toFile()).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(seconds, TimeUnit.SECONDS), "npm " + String.join(" ", args) + " did not finish");
        assertEquals(0, npm.exitValue(), () -> "npm " + String.join(" ", args) + ":\n" + output + quietly(errors));
        return output;
    }

    private static String quietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
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
