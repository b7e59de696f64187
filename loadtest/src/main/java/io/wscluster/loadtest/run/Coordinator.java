package io.wscluster.loadtest.run;

import io.wscluster.loadtest.client.ChannelMix;
import io.wscluster.loadtest.report.NodeSample;

import io.wscluster.loadtest.run.Options;
import io.wscluster.loadtest.client.Reconnection;
import io.wscluster.loadtest.measure.Clock;
import io.wscluster.loadtest.measure.MessageId;
import io.wscluster.loadtest.measure.Tallies;
import io.wscluster.loadtest.report.Accept;
import io.wscluster.loadtest.report.Failover;
import io.wscluster.loadtest.report.Missed;
import io.wscluster.loadtest.report.Recovery;
import io.wscluster.loadtest.report.RunReport;
import io.wscluster.loadtest.report.Second;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs a load test: starts the worker processes, samples them once a second (the progress line and the
 * timeline), moves through the phases (connect, warm-up, publish or hold, drain), kills a node when asked,
 * and turns the workers' final tallies into the {@link RunReport}.
 */
public final class Coordinator {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final Options given;
    private final Settings settings;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<Second> timeline = new ArrayList<>();
    private final Histogram latency = Tallies.micros();
    private final Histogram connectTime = Tallies.micros();
    private final boolean interactive = System.console() != null;
    private final long startNanos = System.nanoTime();
    private long lastSampleNanos = startNanos;
    /** The connect phase: how many, how long, the nodes' CPU meanwhile. */
    private Accept accept;
    /** Connections subscribed and the tool's CPU seconds when a quarter of them were in. */
    private double[] toolCpuAtQuarter;
    /** CPU seconds the nodes spent while publishing was measured (--node-cpu), else NaN. */
    private double nodeCpuSeconds = Double.NaN;
    private long lastPublished;
    private long lastDelivered;
    private int maxSubscribed;
    private int lastSubscribed;
    private int lastPublishersReady;
    private volatile long killedAtMicros;
    private volatile String killError;

    /** cluster.sh's secrets: --secrets, or secrets.env in --run-dir (the load tool signs its users' tokens with them). */
    static Path secretsFile(Options options) {
        return Path.of(options.string("secrets", Path.of(options.string("run-dir", "payara/target/run")).resolve("secrets.env").toString()));
    }

    public Coordinator(Options given) {
        this.given = given;
        this.settings = Settings.from(given);
    }

    /** Runs the test and writes the report; returns the exit code (3 when --slo-p99-ms was not met). */
    public int run() throws Exception {
        String label = given.string("label", "wscluster load test");
        Path reportDir = Path.of(given.string("report", "loadtest-reports/"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())));
        Options workerOptions = settings.toOptions(given).with("worker", "true");
        ClusterNodes sampled = given.has("sample-nodes") ? new ClusterNodes(Path.of(given.string("sample-nodes", ""))) : null;
        Kill kill = given.has("kill") ? Kill.parse(given.string("kill", ""), given.string("kill-signal", "KILL"),
                Path.of(given.string("run-dir", "payara/target/run"))) : null;
        System.out.println(describe());

        List<NodeSample> nodesBefore = sampled == null ? List.of() : sampled.sample();
        List<NodeSample> nodesAfter = List.of();
        List<JsonObject> finals = new ArrayList<>();
        long publishStart;
        long publishStop;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ClusterNodes cpu = given.has("node-cpu") ? new ClusterNodes(Path.of(given.string("run-dir", "payara/target/run"))) : null;
        try {
            double cpuAtStart = cpu == null ? Double.NaN : cpu.cpuSeconds();
            double ownCpuAtStart = WorkerProcess.cpuSeconds(ProcessHandle.current());
            long connectStart = Clock.micros();
            startWorkers(workerOptions);
            connect();
            double toolCpu = toolCpuSeconds() - ownCpuAtStart;
            // Past the first quarter of the ramp the tool has started and compiled its connect path: what it
            // costs per connection from there on is its own steady cost.
            double marginal = toolCpuAtQuarter == null || lastSubscribed <= toolCpuAtQuarter[0] ? Double.NaN
                    : (toolCpuSeconds() - toolCpuAtQuarter[1]) * 1000 / (lastSubscribed - toolCpuAtQuarter[0]);
            accept = new Accept(lastSubscribed, (Clock.micros() - connectStart) / 1e6,
                    cpu == null ? Double.NaN : cpu.cpuSeconds() - cpuAtStart, toolCpu, marginal);
            boolean publishing = settings.rate() > 0;
            publishStart = Clock.micros() + 200_000;
            long measureFrom = publishStart + (publishing ? settings.warmup().toNanos() / 1000 : 0);
            publishStop = measureFrom + settings.duration().toNanos() / 1000;
            if (kill != null) {
                long at = publishStart + kill.after().toNanos() / 1000;
                broadcast("kill-at " + at);
                // Made now, not when the moment comes: its first HTTP client and TLS set-up took 2 s on a
                // saturated machine, which the failover figures counted as the cluster's.
                ClusterNodes killer = new ClusterNodes(kill.runDir());
                scheduler.schedule(() -> killNode(killer, kill), Math.max(0, at - Clock.micros()), TimeUnit.MICROSECONDS);
            }
            broadcast("publish " + publishStart + " " + measureFrom + " " + publishStop);
            double cpuAtMeasure = Double.NaN;
            while (Clock.micros() < publishStop) {
                awaitNextSecond();
                boolean measuring = Clock.micros() >= measureFrom;
                if (measuring && cpu != null && Double.isNaN(cpuAtMeasure)) {
                    cpuAtMeasure = cpu.cpuSeconds();
                }
                sample(!measuring ? "warmup" : publishing ? "publish" : "hold");
            }
            if (cpu != null && !Double.isNaN(cpuAtMeasure)) {
                nodeCpuSeconds = cpu.cpuSeconds() - cpuAtMeasure;
            }
            if (publishing) {
                drain();
            }
            if (sampled != null) {
                // At the end, when the nodes' own connection counts (heartbeats) have caught up.
                nodesAfter = sampled.sample();
            }
            broadcast("final");
            for (WorkerProcess worker : workers) {
                finals.add(worker.reply(REPLY_TIMEOUT));
            }
        } finally {
            scheduler.shutdownNow();
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
        finals.forEach(f -> absorbHistograms(f));
        if (killError != null) {
            System.err.println("kill failed: " + killError);
        }
        RunReport report = report(label, finals, (publishStop - publishStart) / 1e6, kill, nodesBefore, nodesAfter, nodeCpuSeconds);
        System.out.print(report.summary());
        report.write(reportDir);
        System.out.println("  report        " + reportDir.toAbsolutePath() + " (summary.txt, report.json, *.png)");
        double slo = given.decimal("slo-p99-ms", Double.NaN);
        if (!Double.isNaN(slo) && (report.lost() > 0 || !(RunReport.ms(latency, 99) <= slo))) {
            System.out.printf(Locale.ROOT, "  SLO           not met: p99 %.2f ms (limit %.1f), lost %,d%n", RunReport.ms(latency, 99), slo, report.lost());
            return 3;
        }
        return 0;
    }

    private String describe() {
        return String.format(Locale.ROOT, "%,d connections to %s at %,.0f/s%s from %d process(es)%s; channels %s, %d per connection; "
                        + "%s; warm-up %d s, %s %d s",
                settings.connections(), settings.targets(), settings.ramp(),
                settings.maxInFlight() > 0 ? String.format(Locale.ROOT, " (at most %,d attempts in flight)", settings.maxInFlight()) : "",
                settings.processes(),
                settings.sourceAddresses().isEmpty() ? "" : " and " + settings.sourceAddresses().size() + " source addresses",
                settings.channels().spec(), settings.subscriptions(),
                settings.rate() > 0 ? String.format(Locale.ROOT, "%,.0f msgs/s from %d publisher(s) over %s, %d-byte payloads",
                        settings.rate(), settings.publishers(), settings.publishViaSocket() ? "their sockets" : "REST", settings.payloadBytes())
                        : "no publishing",
                settings.rate() > 0 ? settings.warmup().toSeconds() : 0, settings.rate() > 0 ? "publish" : "hold",
                settings.duration().toSeconds());
    }

    /** CPU seconds of the tool's processes so far: the workers' and this one's. */
    private double toolCpuSeconds() {
        return WorkerProcess.cpuSeconds(ProcessHandle.current()) + workers.stream().mapToDouble(WorkerProcess::cpuSeconds).sum();
    }

    private void startWorkers(Options workerOptions) throws IOException {
        int processes = settings.processes();
        int first = 0;
        for (int w = 0; w < processes; w++) {
            int count = settings.connections() / processes + (w < settings.connections() % processes ? 1 : 0);
            workers.add(new WorkerProcess(w, workerOptions.with("worker-index", w).with("first-connection", first)
                    .with("connection-count", count), given.string("worker-heap", "1g"),
                    given.string("worker-jvm-options", WorkerProcess.DEFAULT_JVM_OPTIONS)));
            first += count;
        }
    }

    private void connect() throws InterruptedException {
        long deadline = System.nanoTime() + (long) (settings.connections() / settings.ramp() * 1e9)
                + given.duration("connect-timeout", Duration.ofSeconds(60)).toNanos();
        do {
            awaitNextSecond();
            sample("connect");
            if (toolCpuAtQuarter == null && lastSubscribed >= settings.connections() / 4) {
                toolCpuAtQuarter = new double[] {lastSubscribed, toolCpuSeconds()};
            }
        } while ((lastSubscribed < settings.connections() || lastPublishersReady < socketPublishers())
                && System.nanoTime() < deadline);
        if (lastSubscribed < settings.connections()) {
            System.err.printf(Locale.ROOT, "%nonly %,d of %,d connections subscribed by the connect timeout; going on%n",
                    lastSubscribed, settings.connections());
        }
    }

    private int socketPublishers() {
        return settings.publishViaSocket() && settings.rate() > 0 ? settings.publishers() : 0;
    }

    /** After publishing stops: waits until deliveries stop arriving (bounded by --drain-timeout). */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + given.duration("drain-timeout", Duration.ofSeconds(10)).toNanos();
        long before;
        do {
            before = lastDelivered;
            awaitNextSecond();
            sample("drain");
        } while (lastDelivered != before && System.nanoTime() < deadline);
    }

    private void killNode(ClusterNodes killer, Kill kill) {
        try {
            long at = Clock.micros();
            long pid = killer.kill(kill.node(), kill.signal());
            killedAtMicros = at;
            System.err.printf(Locale.ROOT, "%n%s sent to %s (pid %d)%n", kill.signal(), kill.node(), pid);
        } catch (IOException | RuntimeException e) {
            killError = e.getMessage();
        }
    }

    private void broadcast(String command) {
        workers.forEach(w -> w.send(command));
    }

    /** Samples are taken on the run's whole seconds. */
    private void awaitNextSecond() {
        long elapsed = System.nanoTime() - startNanos;
        LockSupport.parkNanos((elapsed / 1_000_000_000L + 1) * 1_000_000_000L - elapsed);
    }

    /** Asks every worker for its tallies: one point of the timeline and the progress line. */
    private void sample(String phase) throws InterruptedException {
        broadcast("sample");
        List<JsonObject> replies = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            replies.add(worker.reply(REPLY_TIMEOUT));
        }
        long now = System.nanoTime();
        double seconds = (now - lastSampleNanos) / 1e9;
        lastSampleNanos = now;
        int connected = sum(replies, "connected");
        int subscribed = sum(replies, "subscribed");
        long published = sumLong(replies, "published");
        long delivered = sumLong(replies, "delivered");
        Histogram interval = absorbHistograms(replies.toArray(JsonObject[]::new));
        Second second = new Second((now - startNanos) / 1e9, phase, connected, subscribed, (published - lastPublished) / seconds,
                (delivered - lastDelivered) / seconds, RunReport.ms(interval, 50), RunReport.ms(interval, 99),
                RunReport.maxMs(interval), sumLong(replies, "reconnects"));
        timeline.add(second);
        lastPublished = published;
        lastDelivered = delivered;
        lastSubscribed = subscribed;
        lastPublishersReady = sum(replies, "publishersReady");
        maxSubscribed = Math.max(maxSubscribed, subscribed);
        progress(second, replies);
    }

    private Histogram absorbHistograms(JsonObject... replies) {
        Histogram interval = Tallies.micros();
        for (JsonObject reply : replies) {
            interval.add(Tallies.decode(reply.getString("latency")));
            connectTime.add(Tallies.decode(reply.getString("connectTime")));
        }
        latency.add(interval);
        return interval;
    }

    private void progress(Second s, List<JsonObject> replies) {
        long errors = replies.stream().mapToLong(r -> r.getJsonObject("errors").values().stream()
                .mapToLong(v -> ((JsonNumber) v).longValue()).sum()).sum();
        String line = String.format(Locale.ROOT, "[%4.0fs] %-7s conn %,d/%,d  subscribed %,d  pub %,.0f/s  deliv %,.0f/s  p99 %s ms  reconnects %,d  errors %,d",
                s.t(), s.phase(), s.connected(), settings.connections(), s.subscribed(), s.publishedPerSecond(),
                s.deliveredPerSecond(), Double.isNaN(s.p99()) ? "-" : String.format(Locale.ROOT, "%.2f", s.p99()), s.reconnects(), errors);
        if (interactive) {
            System.err.print("\r" + line + "   ");
        } else {
            System.err.println(line);
        }
    }

    private RunReport report(String label, List<JsonObject> finals, double publishSeconds, Kill kill,
                             List<NodeSample> before, List<NodeSample> after, double nodeCpuSeconds) {
        return report(label, finals, publishSeconds, kill, before, after).withNodeCpuSeconds(nodeCpuSeconds);
    }

    private RunReport report(String label, List<JsonObject> finals, double publishSeconds, Kill kill,
                             List<NodeSample> before, List<NodeSample> after) {
        if (interactive) {
            System.err.println();
        }
        int channels = settings.channels().size();
        long[] published = new long[channels];
        long[] tracked = new long[channels];
        long[] affected = new long[channels];
        for (JsonObject f : finals) {
            addInto(published, f.getJsonArray("publishedPerChannel"));
            addInto(tracked, f.getJsonArray("trackedPerChannel"));
            addInto(affected, f.getJsonArray("affectedPerChannel"));
        }
        long expected = 0;
        long affectedExpected = 0;
        for (int c = 0; c < channels; c++) {
            expected += tracked[c] * published[c];
            affectedExpected += affected[c] * published[c];
        }
        Failover failover = null;
        if (kill != null && killedAtMicros > 0) {
            failover = failover(kill, finals, affectedExpected, (killedAtMicros - startMicros()) / 1e6);
        }
        JsonObjectBuilder settingsJson = Json.createObjectBuilder();
        settings.toOptions(given).toArgs().forEach(arg -> {
            String[] kv = arg.substring(2).split("=", 2);
            settingsJson.add(kv[0], kv[1]);
        });
        settingsJson.add("machine", String.format(Locale.ROOT, "%d cores, %.0f GiB, Java %s", Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1073741824.0,
                System.getProperty("java.version")));
        settingsJson.add("date", Instant.now().toString());
        return new RunReport(label, settingsJson.build(), List.copyOf(timeline), latency, connectTime, settings.connections(),
                maxSubscribed, accept, publishSeconds, sumLong(finals, "published"), sumLong(finals, "publishAcknowledged"),
                sumLong(finals, "publishSkipped"), sumLong(finals, "delivered"), expected, sumLong(finals, "trackedDistinct"),
                sumLong(finals, "duplicates"), sumLong(finals, "late"), missed(finals, settings.channels()),
                new Recovery(sumLong(finals, "recovered"), sumLong(finals, "unrecovered")), counts(finals, "closes"), counts(finals, "errors"),
                failover, before, after, Double.NaN);
    }

    /** The run's start on the epoch clock. */
    private long startMicros() {
        return Clock.micros() - (System.nanoTime() - startNanos) / 1000;
    }

    private Failover failover(Kill kill, List<JsonObject> finals, long affectedExpected, double atSecond) {
        // Each connection's first loss after the kill, and how it came back.
        Map<Long, Reconnection> first = new HashMap<>();
        for (JsonObject f : finals) {
            for (JsonValue value : f.getJsonArray("reconnections")) {
                Reconnection r = Reconnection.of(value.asJsonArray());
                if (r.lostAt() >= killedAtMicros) {
                    first.merge(r.connection(), r, (a, b) -> a.lostAt() <= b.lostAt() ? a : b);
                }
            }
        }
        Failover.Phases phases = new Failover.Phases();
        Histogram fromKill = Tallies.micros();
        Histogram gap = Tallies.micros();
        first.values().forEach(r -> {
            phases.record(killedAtMicros, r.lostAt(), r.attemptStartedAt(), r.openedAt(), r.backAt());
            fromKill.recordValue(Math.max(0, r.backAt() - killedAtMicros));
            gap.recordValue(Math.max(0, r.backAt() - r.lostAt()));
        });
        long affectedDistinct = sumLong(finals, "affectedDistinct");
        return new Failover(kill.node(), kill.signal(), atSecond, sum(finals, "affectedConnections"), first.size(),
                sum(finals, "downAtEnd"), phases, fromKill, gap, affectedExpected, Math.max(0, affectedExpected - affectedDistinct));
    }

    /** The workers' missed messages summed, less those no publisher had acknowledged; most-missed first. */
    static List<Missed> missed(List<JsonObject> finals, ChannelMix channels) {
        Set<String> unacknowledged = new HashSet<>();
        Map<String, long[]> missed = new HashMap<>();
        for (JsonObject f : finals) {
            f.getJsonArray("unacknowledged").getValuesAs(JsonString.class).forEach(id -> unacknowledged.add(id.getString()));
            for (JsonObject m : f.getJsonArray("missed").getValuesAs(JsonObject.class)) {
                long[] n = missed.computeIfAbsent(m.getString("id"), k -> new long[2]);
                n[0] += m.getJsonNumber("clients").longValue();
                n[1] += m.getJsonNumber("reconnected").longValue();
            }
        }
        List<Missed> named = new ArrayList<>();
        missed.forEach((id, n) -> {
            if (!unacknowledged.contains(id)) {
                MessageId m = MessageId.parse(id);
                named.add(new Missed(channels.name(m.channel()), m.publisher(), m.seq(), n[0], n[1]));
            }
        });
        named.sort(Comparator.comparingLong(Missed::clients).reversed().thenComparingLong(Missed::seq));
        return named;
    }

    private static void addInto(long[] sums, JsonArray values) {
        for (int i = 0; i < sums.length && i < values.size(); i++) {
            sums[i] += values.getJsonNumber(i).longValue();
        }
    }

    private static Map<String, Long> counts(List<JsonObject> finals, String field) {
        Map<String, Long> counts = new TreeMap<>();
        finals.forEach(f -> f.getJsonObject(field).forEach((k, v) -> counts.merge(k, ((JsonNumber) v).longValue(), Long::sum)));
        return counts;
    }

    private static int sum(List<JsonObject> replies, String field) {
        return (int) sumLong(replies, field);
    }

    private static long sumLong(List<JsonObject> replies, String field) {
        return replies.stream().mapToLong(r -> r.getJsonNumber(field).longValue()).sum();
    }

    /** {@code --kill=node-2@15s}: which node, how long after publishing starts, which signal, where its PID is. */
    record Kill(String node, Duration after, String signal, Path runDir) {
        static Kill parse(String spec, String signal, Path runDir) {
            String[] parts = spec.split("@", 2);
            if (parts.length != 2 || !parts[0].matches("node-\\d+")) {
                throw new IllegalArgumentException("--kill is node-N@DURATION (e.g. node-2@15s), not " + spec);
            }
            if (!signal.equals("KILL") && !signal.equals("TERM")) {
                throw new IllegalArgumentException("--kill-signal is KILL (crash) or TERM (drain), not " + signal);
            }
            return new Kill(parts[0], Options.parseDuration("kill", parts[1]), signal, runDir);
        }
    }
}
