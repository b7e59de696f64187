package io.wscluster.loadtest.run;

import io.wscluster.loadtest.run.Options;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link Worker} as a child JVM: commands go to its stdin, its JSON replies come back from its stdout. */
final class WorkerProcess implements AutoCloseable {

    private final int index;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();

    /**
     * The JIT's quick tier only: a worker lives for one run, and on cores it shares with the nodes the full
     * compiler's work cost it as much CPU as its connections did (1.0 against 0.55 ms per connection, and
     * the nodes it starved took twice as long to warm up).
     */
    static final String DEFAULT_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    WorkerProcess(int index, Options options, String heap, String jvmOptions) throws IOException {
        this.index = index;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap, "-XX:+UseParallelGC"));
        for (String option : jvmOptions.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), "io.wscluster.loadtest.LoadTest"));
        command.addAll(options.toArgs());
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "worker-" + index + "-replies");
        reader.setDaemon(true);
        reader.start();
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("{")) {
                    replies.add(Json.createReader(new StringReader(line)).readObject());
                } else {
                    System.err.println("worker " + index + ": " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("worker " + index + ": " + e);
        }
    }

    /** CPU seconds the worker has used since it started (user and system). */
    double cpuSeconds() {
        return cpuSeconds(process.toHandle());
    }

    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    void send(String command) {
        commands.println(command);
    }

    JsonObject reply(Duration timeout) throws InterruptedException {
        JsonObject reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new IllegalStateException("worker " + index + " did not answer within " + timeout.toSeconds() + " s"
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
        }
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        send("exit");
        commands.close();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
