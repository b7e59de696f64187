package io.wscluster.loadtest.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The verdict of {@code bench/soak.sh}: reads the samples it wrote (nodes.tsv, intervals.tsv), says per node
 * life and per figure whether it grows, and draws heap and latency over time as PNGs.
 *
 * <p>{@code java -cp wscluster-loadtest.jar io.wscluster.loadtest.soak.SoakReport DIR}
 */
public final class SoakReport {

    /** One sample of one node process after an interval, the load tool's clients gone and a full GC run. */
    record NodeSample(double minute, String node, String pid, double heapMb, double rssMb, double threads, double openFiles) {
    }

    /** One interval of load: its latency and delivery figures, and the node drained during it ("-" if none). */
    record Interval(double minute, String drained, double p50, double p99, double max, long lost, long duplicates, long outOfOrder) {
    }

    /** Fewer samples than this (or than a third of the longest life's) are not judged. */
    static final int MIN_JUDGED_SAMPLES = 9;

    private SoakReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SoakReport DIR   (the directory bench/soak.sh writes nodes.tsv and intervals.tsv to)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<NodeSample> nodes = readNodes(dir.resolve("nodes.tsv"));
        List<Interval> intervals = readIntervals(dir.resolve("intervals.tsv"));
        List<String> verdict = verdict(nodes, intervals);
        verdict.forEach(System.out::println);
        Files.write(dir.resolve("verdict.txt"), verdict);
        System.setProperty("java.awt.headless", "true");
        charts(nodes, intervals, dir);
    }

    /** Lines for the operator: per node life and figure first and last third, and whether anything grows. */
    static List<String> verdict(List<NodeSample> nodes, List<Interval> intervals) {
        List<String> lines = new ArrayList<>();
        List<String> growing = new ArrayList<>();
        lines.add("figure per node process: median of the first third of its samples -> median of the last third");
        // A restarted node warms up (JIT, pools filling to their core size, caches) for minutes: only a life
        // long enough to be mostly past that is judged; the shorter ones are shown, to compare plateaus.
        Map<String, List<NodeSample>> lives = lives(nodes);
        int judged = Math.max(MIN_JUDGED_SAMPLES, lives.values().stream().mapToInt(List::size).max().orElse(0) / 3);
        for (Map.Entry<String, List<NodeSample>> life : lives.entrySet()) {
            List<NodeSample> samples = life.getValue();
            boolean judge = samples.size() >= judged;
            Map<String, Growth> figures = new LinkedHashMap<>();
            figures.put("heap after GC MiB", growth(samples, NodeSample::heapMb, 0.10, 16));
            figures.put("RSS MiB", growth(samples, NodeSample::rssMb, 0.10, 64));
            figures.put("threads", growth(samples, NodeSample::threads, 0.10, 10));
            figures.put("open files", growth(samples, NodeSample::openFiles, 0.10, 20));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-24s %3d samples%s", life.getKey(), samples.size(),
                    judge ? "" : " (too short a life to judge)"));
            figures.forEach((name, g) -> {
                line.append(" | ").append(name).append(' ').append(judge ? g.toString() : g.range());
                if (judge && g.grows()) {
                    growing.add(life.getKey() + " " + name);
                }
            });
            lines.add(line.toString());
        }
        List<Interval> steady = intervals.stream().filter(i -> "-".equals(i.drained())).toList();
        Growth p99 = Growth.of(steady.stream().map(Interval::p99).toList(), 0.5, 5);
        lines.add("p99 ms over the intervals without a drain: " + p99);
        if (p99.grows()) {
            growing.add("p99 latency");
        }
        long lost = intervals.stream().mapToLong(Interval::lost).sum();
        long duplicates = intervals.stream().mapToLong(Interval::duplicates).sum();
        long outOfOrder = intervals.stream().mapToLong(Interval::outOfOrder).sum();
        lines.add(String.format(Locale.ROOT, "over %d intervals (%d with a node drained): lost %d, duplicates %d, out of order %d",
                intervals.size(), intervals.size() - steady.size(), lost, duplicates, outOfOrder));
        lines.add(growing.isEmpty() ? "verdict: flat (nothing grows)" : "verdict: grows: " + String.join(", ", growing));
        return lines;
    }

    private static Growth growth(List<NodeSample> samples, ToDoubleFunction<NodeSample> figure, double relative, double absolute) {
        return Growth.of(samples.stream().map(figure::applyAsDouble).toList(), relative, absolute);
    }

    /** Samples per node process, "node-2 (pid 123)": a drained and restarted node starts a new life. */
    private static Map<String, List<NodeSample>> lives(List<NodeSample> nodes) {
        Map<String, List<NodeSample>> lives = new LinkedHashMap<>();
        for (NodeSample s : nodes) {
            lives.computeIfAbsent(s.node() + " (pid " + s.pid() + ")", k -> new ArrayList<>()).add(s);
        }
        return lives;
    }

    private static void charts(List<NodeSample> nodes, List<Interval> intervals, Path dir) throws IOException {
        XYChart heap = chart("heap after full GC per node (clients of the interval gone)", "minutes", "MiB");
        Map<String, List<NodeSample>> byNode = new LinkedHashMap<>();
        nodes.forEach(s -> byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s));
        byNode.forEach((node, samples) -> series(heap, node, samples.stream().map(NodeSample::minute).toList(),
                samples.stream().map(NodeSample::heapMb).toList()));
        heap.getStyler().setYAxisMin(0.0); // from zero: a few MiB of noise must not look like growth
        save(heap, dir.resolve("heap-over-time"));

        XYChart rss = chart("resident set size per node", "minutes", "MiB");
        byNode.forEach((node, samples) -> series(rss, node, samples.stream().map(NodeSample::minute).toList(),
                samples.stream().map(NodeSample::rssMb).toList()));
        rss.getStyler().setYAxisMin(0.0);
        save(rss, dir.resolve("rss-over-time"));

        XYChart latency = chart("publish-to-deliver latency per interval", "minutes", "ms");
        List<Double> minutes = intervals.stream().map(Interval::minute).toList();
        series(latency, "p50", minutes, intervals.stream().map(Interval::p50).toList());
        series(latency, "p99", minutes, intervals.stream().map(Interval::p99).toList());
        latency.getStyler().setYAxisLogarithmic(true);
        save(latency, dir.resolve("latency-over-time"));
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(1000).height(450).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    private static void series(XYChart chart, String name, List<Double> x, List<Double> y) {
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static void save(XYChart chart, Path withoutExtension) throws IOException {
        if (!chart.getSeriesMap().isEmpty()) {
            BitmapEncoder.saveBitmap(chart, withoutExtension.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    static List<NodeSample> readNodes(Path file) throws IOException {
        List<NodeSample> samples = new ArrayList<>();
        for (String[] f : rows(file)) {
            samples.add(new NodeSample(num(f[0]), f[1], f[2], num(f[3]), num(f[4]), num(f[5]), num(f[6])));
        }
        return samples;
    }

    static List<Interval> readIntervals(Path file) throws IOException {
        List<Interval> intervals = new ArrayList<>();
        for (String[] f : rows(file)) {
            intervals.add(new Interval(num(f[0]), f[1], num(f[2]), num(f[3]), num(f[4]), (long) num(f[5]), (long) num(f[6]), (long) num(f[7])));
        }
        return intervals;
    }

    /** The rows of a tab-separated file after its header line. */
    private static List<String[]> rows(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
    }

    /** The load tool prints figures with thousands separators; a missing figure ("-") counts as 0. */
    private static double num(String s) {
        String plain = s.replace(",", "").trim();
        return plain.isEmpty() || plain.equals("-") ? 0 : Double.parseDouble(plain);
    }
}
