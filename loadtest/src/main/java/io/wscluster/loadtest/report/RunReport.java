package io.wscluster.loadtest.report;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a run, as a human summary, as JSON ({@code report.json}) and as charts: what was asked,
 * the timeline, how fast the connections were accepted, latency, the delivery account (expected, received,
 * lost with the lost messages named, duplicated, late), closes and errors by kind, the failover when a node
 * was killed, and the nodes' memory when it was sampled.
 */
public record RunReport(String label, JsonObject settings, List<Second> timeline, Histogram latency, Histogram connectTime,
                        int connectionsAsked, int maxSubscribed, Accept accept, double publishSeconds, long published, long acknowledged,
                        long skipped, long delivered, long expected, long distinct, long duplicates, long late,
                        List<Missed> missed, Recovery recovery, Map<String, Long> closes, Map<String, Long> errors, Failover failover,
                        List<NodeSample> nodesBefore, List<NodeSample> nodesAfter, double nodeCpuSeconds) {

    private static final int MISSED_SHOWN = 5;
    private static final int MISSED_IN_JSON = 100;

    public RunReport withNodeCpuSeconds(double seconds) {
        return new RunReport(label, settings, timeline, latency, connectTime, connectionsAsked, maxSubscribed, accept, publishSeconds,
                published, acknowledged, skipped, delivered, expected, distinct, duplicates, late, missed, recovery, closes, errors, failover,
                nodesBefore, nodesAfter, seconds);
    }

    /** Deliveries measured after the warm-up per CPU-second the nodes spent meanwhile; NaN when not read. */
    public double deliveriesPerNodeCpuSecond() {
        return nodeCpuSeconds > 0 ? latency.getTotalCount() / nodeCpuSeconds : Double.NaN;
    }

    public long lost() {
        return Math.max(0, expected - distinct);
    }

    public double deliveriesPerSecond() {
        return publishSeconds > 0 ? delivered / publishSeconds : 0;
    }

    public double publishedPerSecond() {
        return publishSeconds > 0 ? published / publishSeconds : 0;
    }

    private JsonArrayBuilder missedJson() {
        JsonArrayBuilder json = Json.createArrayBuilder();
        missed.stream().limit(MISSED_IN_JSON).forEach(m -> json.add(Json.createObjectBuilder().add("channel", m.channel())
                .add("publisher", m.publisher()).add("seq", m.seq()).add("clients", m.clients()).add("reconnected", m.reconnected())));
        return json;
    }

    /** Milliseconds at a percentile, NaN when nothing was recorded. */
    public static double ms(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public static double maxMs(Histogram h) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s%n", label));
        s.append(String.format(Locale.ROOT, "  connections   %,d of %,d subscribed at most; connect+subscribe p50 %s / p99 %s / max %s ms%n",
                maxSubscribed, connectionsAsked, f(ms(connectTime, 50)), f(ms(connectTime, 99)), f(maxMs(connectTime))));
        s.append(String.format(Locale.ROOT, "  accepted      %,d subscribed %.1f s after the load processes started: %,.0f connections/s%s%n",
                accept.subscribed(), accept.seconds(), accept.perSecond(), Double.isNaN(accept.nodeCpuSeconds()) ? ""
                        : String.format(Locale.ROOT, ", %.2f ms of node CPU each", accept.nodeCpuMillisPerConnection())));
        s.append(String.format(Locale.ROOT, "  load tool     %.2f ms of CPU per connection (its start included), %.2f ms past the first quarter%n",
                accept.toolCpuMillisPerConnection(), accept.toolMarginalCpuMillis()));
        if (published == 0 && expected == 0 && nodeCpuSeconds > 0 && publishSeconds > 0 && maxSubscribed > 0) {
            // Held with pings only: what idle connections cost the nodes.
            s.append(String.format(Locale.ROOT, "  holding       node CPU %.1f s in %.1f s: %.1f %% of a core, %.2f %% per 1,000 connections%n",
                    nodeCpuSeconds, publishSeconds, 100 * nodeCpuSeconds / publishSeconds,
                    100_000 * nodeCpuSeconds / publishSeconds / maxSubscribed));
        }
        if (published > 0 || expected > 0) {
            s.append(String.format(Locale.ROOT, "  published     %,d in %.1f s (%,.0f/s), %,d acknowledged, %,d skipped (publisher could not send)%n",
                    published, publishSeconds, publishedPerSecond(), acknowledged, skipped));
            s.append(String.format(Locale.ROOT, "  delivered     %,d (%,.0f/s); expected %,d, received %,d distinct: lost %,d, duplicates %,d, out of order %,d%n",
                    delivered, deliveriesPerSecond(), expected, distinct, lost(), duplicates, late));
            if (!missed.isEmpty()) {
                s.append(String.format(Locale.ROOT, "  missed        %,d deliveries of %,d messages named (a client missed it but got later ones); most missed:%n",
                        missed.stream().mapToLong(Missed::clients).sum(), missed.size()));
                missed.stream().limit(MISSED_SHOWN).forEach(m -> s.append(String.format(Locale.ROOT,
                        "                %s #%d of publisher %d: missed by %,d clients, %,d of them had reconnected%n",
                        m.channel(), m.seq(), m.publisher(), m.clients(), m.reconnected())));
            }
            if (recovery.replayed() > 0 || recovery.unrecovered() > 0) {
                s.append(String.format(Locale.ROOT, "  recovery      %,d messages replayed to resubscribing clients (not in the latency figures),"
                        + " %,d resubscriptions not recovered%n", recovery.replayed(), recovery.unrecovered()));
            }
            s.append(String.format(Locale.ROOT, "  latency ms    p50 %s  p95 %s  p99 %s  p99.9 %s  max %s  (%,d measured after the warm-up)%n",
                    f(ms(latency, 50)), f(ms(latency, 95)), f(ms(latency, 99)), f(ms(latency, 99.9)), f(maxMs(latency)),
                    latency.getTotalCount()));
            if (!Double.isNaN(nodeCpuSeconds)) {
                s.append(String.format(Locale.ROOT, "  node CPU      %.1f s while measured: %,.0f deliveries per node CPU-second%n",
                        nodeCpuSeconds, deliveriesPerNodeCpuSecond()));
            }
        }
        s.append("  closes        ").append(closes.isEmpty() ? "none" : closes).append(System.lineSeparator());
        s.append("  errors        ").append(errors.isEmpty() ? "none" : errors).append(System.lineSeparator());
        if (failover != null) {
            Failover fo = failover;
            s.append(String.format(Locale.ROOT, "  failover      %s of %s at %.1f s: %,d clients affected, %,d resubscribed, %,d still down at the end%n",
                    fo.signal(), fo.node(), fo.atSecond(), fo.affected(), fo.resubscribed(), fo.downAtEnd()));
            s.append(String.format(Locale.ROOT, "                kill -> resubscribed p50 %s / p99 %s / max %s ms (max = every affected client back);"
                    + " own gap p50 %s / p99 %s / max %s ms%n", f(ms(fo.fromKill(), 50)), f(ms(fo.fromKill(), 99)), f(maxMs(fo.fromKill())),
                    f(ms(fo.gap(), 50)), f(ms(fo.gap(), 99)), f(maxMs(fo.gap()))));
            Failover.Phases ph = fo.phases();
            s.append(String.format(Locale.ROOT, "                phases p50 / max ms: kill -> connection ended %s / %s, -> successful attempt %s / %s,"
                    + " handshake %s / %s, subscribe %s / %s%n", f(ms(ph.detected(), 50)), f(maxMs(ph.detected())),
                    f(ms(ph.retrying(), 50)), f(maxMs(ph.retrying())), f(ms(ph.handshake(), 50)), f(maxMs(ph.handshake())),
                    f(ms(ph.subscribing(), 50)), f(maxMs(ph.subscribing()))));
            s.append(String.format(Locale.ROOT, "                messages lost by affected clients: %,d of %,d expected%n",
                    fo.affectedLost(), fo.affectedExpected()));
        }
        if (!nodesAfter.isEmpty()) {
            s.append("  nodes         heap after full GC and RSS, before and while holding the connections").append(System.lineSeparator());
            for (NodeSample after : nodesAfter) {
                NodeSample before = nodesBefore.stream().filter(b -> b.node().equals(after.node())).findFirst().orElse(null);
                s.append(String.format(Locale.ROOT, "    %-8s %,7d conns  heap %s -> %s MiB  RSS %s -> %s MiB", after.node(), after.connections(),
                        before == null ? "?" : mib(before.heapUsedBytes()), mib(after.heapUsedBytes()),
                        before == null ? "?" : mib(before.rssBytes()), mib(after.rssBytes())));
                if (before != null && after.connections() > 0) {
                    s.append(String.format(Locale.ROOT, "  = %,.1f KiB heap, %,.1f KiB RSS per connection",
                            (after.heapUsedBytes() - before.heapUsedBytes()) / 1024.0 / after.connections(),
                            (after.rssBytes() - before.rssBytes()) / 1024.0 / after.connections()));
                }
                s.append(System.lineSeparator());
            }
        }
        return s.toString();
    }

    public JsonObject toJson() {
        JsonArrayBuilder seconds = Json.createArrayBuilder();
        for (Second t : timeline) {
            seconds.add(Json.createObjectBuilder().add("t", t.t()).add("phase", t.phase()).add("connected", t.connected())
                    .add("subscribed", t.subscribed()).add("publishedPerSecond", t.publishedPerSecond())
                    .add("deliveredPerSecond", t.deliveredPerSecond()).add("p50Ms", num(t.p50())).add("p99Ms", num(t.p99()))
                    .add("maxMs", num(t.max())).add("reconnects", t.reconnects()));
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("label", label)
                .add("settings", settings)
                .add("connections", Json.createObjectBuilder().add("asked", connectionsAsked).add("maxSubscribed", maxSubscribed)
                        .add("connectMs", percentiles(connectTime)).add("acceptSeconds", accept.seconds())
                        .add("acceptedPerSecond", num(accept.perSecond()))
                        .add("nodeCpuMsPerConnection", num(accept.nodeCpuMillisPerConnection()))
                        .add("toolCpuMsPerConnection", num(accept.toolCpuMillisPerConnection()))
                        .add("toolMarginalCpuMsPerConnection", num(accept.toolMarginalCpuMillis())))
                .add("messages", Json.createObjectBuilder().add("publishSeconds", publishSeconds).add("published", published)
                        .add("acknowledged", acknowledged).add("skipped", skipped).add("delivered", delivered)
                        .add("publishedPerSecond", publishedPerSecond()).add("deliveriesPerSecond", deliveriesPerSecond())
                        .add("expected", expected).add("distinct", distinct).add("lost", lost()).add("duplicates", duplicates)
                        .add("outOfOrder", late).add("recovered", recovery.replayed()).add("unrecovered", recovery.unrecovered())
                        .add("missed", missedJson()))
                .add("latencyMs", percentiles(latency))
                .add("nodeCpuSeconds", num(nodeCpuSeconds))
                .add("deliveriesPerNodeCpuSecond", num(deliveriesPerNodeCpuSecond()))
                .add("closes", counts(closes))
                .add("errors", counts(errors))
                .add("timeline", seconds);
        if (failover != null) {
            json.add("failover", Json.createObjectBuilder().add("node", failover.node()).add("signal", failover.signal())
                    .add("atSecond", failover.atSecond()).add("affected", failover.affected())
                    .add("resubscribed", failover.resubscribed()).add("downAtEnd", failover.downAtEnd())
                    .add("phasesMs", Json.createObjectBuilder()
                            .add("killToEnded", percentiles(failover.phases().detected()))
                            .add("endedToAttempt", percentiles(failover.phases().retrying()))
                            .add("handshake", percentiles(failover.phases().handshake()))
                            .add("subscribe", percentiles(failover.phases().subscribing())))
                    .add("killToResubscribedMs", percentiles(failover.fromKill())).add("gapMs", percentiles(failover.gap()))
                    .add("affectedExpected", failover.affectedExpected()).add("affectedLost", failover.affectedLost()));
        }
        if (!nodesAfter.isEmpty()) {
            json.add("nodes", Json.createObjectBuilder().add("before", samples(nodesBefore)).add("after", samples(nodesAfter)));
        }
        return json.build();
    }

    /** The key figures as one tab-separated line under a header, for scripts that tabulate several runs. */
    public String figures() {
        String header = "label\tconnections\tsubscribed\tpublished/s\tdeliveries/s\tp50 ms\tp95 ms\tp99 ms\tp99.9 ms\tmax ms\tlost\tduplicates\tout of order"
                + "\tdeliveries per node CPU-s\trecovered\tconnections/s";
        String row = String.join("\t", label, String.valueOf(connectionsAsked), String.valueOf(maxSubscribed),
                String.format(Locale.ROOT, "%.0f", publishedPerSecond()), String.format(Locale.ROOT, "%.0f", deliveriesPerSecond()),
                f(ms(latency, 50)), f(ms(latency, 95)), f(ms(latency, 99)), f(ms(latency, 99.9)), f(maxMs(latency)),
                String.valueOf(lost()), String.valueOf(duplicates), String.valueOf(late),
                Double.isNaN(deliveriesPerNodeCpuSecond()) ? "-" : String.format(Locale.ROOT, "%,.0f", deliveriesPerNodeCpuSecond()),
                String.valueOf(recovery.replayed()), String.format(Locale.ROOT, "%,.0f", accept.perSecond()));
        return header + System.lineSeparator() + row + System.lineSeparator();
    }

    /** Writes summary.txt, figures.tsv, report.json and the charts into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.txt"), summary());
        Files.writeString(dir.resolve("figures.tsv"), figures());
        JsonWriterFactory writers = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        try (Writer out = Files.newBufferedWriter(dir.resolve("report.json"))) {
            writers.createWriter(out).write(toJson());
        }
        Charts.write(this, dir);
    }

    private static JsonObjectBuilder percentiles(Histogram h) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("count", h == null ? 0 : h.getTotalCount());
        if (h != null && h.getTotalCount() > 0) {
            json.add("p50", ms(h, 50)).add("p90", ms(h, 90)).add("p95", ms(h, 95)).add("p99", ms(h, 99))
                    .add("p99.9", ms(h, 99.9)).add("max", maxMs(h)).add("mean", h.getMean() / 1000.0);
        }
        return json;
    }

    private static JsonObjectBuilder counts(Map<String, Long> counts) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        counts.forEach(json::add);
        return json;
    }

    private static JsonArrayBuilder samples(List<NodeSample> samples) {
        JsonArrayBuilder json = Json.createArrayBuilder();
        samples.forEach(s -> json.add(Json.createObjectBuilder().add("node", s.node()).add("pid", s.pid())
                .add("connections", s.connections()).add("heapUsedBytes", s.heapUsedBytes()).add("rssBytes", s.rssBytes())));
        return json;
    }

    private static jakarta.json.JsonValue num(double value) {
        return Double.isNaN(value) ? jakarta.json.JsonValue.NULL : Json.createValue(value);
    }

    static String f(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : ms < 100 ? String.format(Locale.ROOT, "%.1f", ms)
                : String.format(Locale.ROOT, "%,.0f", ms);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,.0f", bytes / 1048576.0);
    }
}
