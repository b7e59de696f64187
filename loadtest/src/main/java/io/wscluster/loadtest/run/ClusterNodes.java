package io.wscluster.loadtest.run;

import io.wscluster.loadtest.report.NodeSample;

import io.wscluster.loadtest.client.Credentials;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The nodes of a cluster laid out by {@code payara/cluster.sh} (its run directory: {@code node-N/pid},
 * {@code node-N/http-port}): kills one by PID, and measures each one's heap after a full GC (jcmd) and RSS.
 */
public final class ClusterNodes {

    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final Path runDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private final Credentials credentials;

    public ClusterNodes(Path runDir) throws IOException {
        this.runDir = runDir;
        this.credentials = Credentials.from(runDir.resolve("secrets.env"));
    }

    /**
     * Sends {@code signal} (KILL or TERM) to the node's process. Refuses a PID whose process is not a
     * Payara Micro (a stale PID file must never kill something else).
     */
    public long kill(String node, String signal) throws IOException {
        long pid = pid(node);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IOException(node + " (pid " + pid + ") is not running"));
        String commandLine = process.info().commandLine().orElse("");
        if (!commandLine.contains("payara-micro")) {
            throw new IOException("pid " + pid + " from " + runDir.resolve(node) + " is not a Payara Micro process");
        }
        boolean sent = switch (signal) {
            case "KILL" -> process.destroyForcibly();
            case "TERM" -> process.destroy();
            default -> throw new IllegalArgumentException("--kill-signal is KILL or TERM, not " + signal);
        };
        if (!sent) {
            throw new IOException("could not signal " + node + " (pid " + pid + ")");
        }
        return pid;
    }

    public List<NodeSample> sample() throws IOException, InterruptedException {
        List<NodeSample> samples = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("node-")).sorted().toList()) {
                String node = dir.getFileName().toString();
                long pid = pid(node);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    samples.add(new NodeSample(node, pid, connections(dir, node), heapAfterGc(pid), rss(pid)));
                }
            }
        }
        return samples;
    }

    /** CPU seconds the live node processes of the run directory have used so far (user and system). */
    public double cpuSeconds() throws IOException {
        double seconds = 0;
        try (Stream<Path> dirs = Files.list(runDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("node-")).toList()) {
                seconds += ProcessHandle.of(pid(dir.getFileName().toString()))
                        .flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
            }
        }
        return seconds;
    }

    private long pid(String node) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve(node).resolve("pid")).trim());
    }

    /** The node's own count (-1 when it does not answer: an overloaded node must not end the run). */
    private int connections(Path dir, String node) throws IOException, InterruptedException {
        int port = Integer.parseInt(Files.readString(dir.resolve("http-port")).trim());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cluster/nodes/" + node))
                    .timeout(Duration.ofSeconds(10));
            if (credentials.adminAuthorization() != null) {
                request.header("Authorization", credentials.adminAuthorization());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            JsonObject json = Json.createReader(new StringReader(response.body())).readObject();
            return json.getInt("connections", -1);
        } catch (IOException e) {
            System.err.println(node + " did not report its connections: " + e);
            return -1;
        }
    }

    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    private static long rss(long pid) throws IOException {
        Optional<String> line = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst();
        return line.map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).orElse(-1L);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish in 60 s");
        }
        return out;
    }
}
