package io.wscluster.loadtest.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run (XChart, headless): latency over time, the latency distribution, deliveries and
 * publishes per second, and connections.
 */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    static void write(RunReport report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Second> timeline = report.timeline();
        if (timeline.isEmpty()) {
            return;
        }
        XYChart latency = chart(report.label() + ": publish-to-deliver latency per second", "seconds", "ms");
        line(latency, "p50", timeline, Second::p50);
        line(latency, "p99", timeline, Second::p99);
        line(latency, "max", timeline, Second::max);
        save(latency, dir.resolve("latency-over-time"));

        if (report.latency() != null && report.latency().getTotalCount() > 0) {
            save(distribution(report), dir.resolve("latency-distribution"));
        }

        XYChart rates = chart(report.label() + ": messages per second", "seconds", "per second");
        line(rates, "deliveries/s", timeline, Second::deliveredPerSecond);
        line(rates, "published/s", timeline, Second::publishedPerSecond);
        save(rates, dir.resolve("throughput"));

        XYChart connections = chart(report.label() + ": connections", "seconds", "connections");
        line(connections, "connected", timeline, Second::connected);
        line(connections, "subscribed", timeline, Second::subscribed);
        save(connections, dir.resolve("connections"));
    }

    /** The classic percentile spectrum: x is -log10(1 - percentile), so each "nine" of the tail gets equal room. */
    private static XYChart distribution(RunReport report) {
        Histogram h = report.latency();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double fraction = v.getPercentileLevelIteratedTo() / 100.0;
            if (fraction >= 0.999999) {
                break;
            }
            x.add(-Math.log10(1 - fraction));
            y.add(v.getValueIteratedTo() / 1000.0);
        }
        x.add(6.0);
        y.add(h.getMaxValue() / 1000.0);
        XYChart chart = chart(report.label() + ": latency distribution (" + String.format(Locale.ROOT, "%,d", h.getTotalCount()) + " deliveries)",
                "percentile", "ms");
        chart.getStyler().setXAxisMax(6.0);
        // Labels must differ from tick to tick (XChart looks for a spacing where they do): enough decimals for each nine.
        chart.setCustomXAxisTickLabelsFormatter(v -> {
            String p = String.format(Locale.ROOT, "%." + Math.min(7, Math.max(1, (int) Math.ceil(v) + 1)) + "f", 100 * (1 - Math.pow(10, -v)));
            return p.replaceFirst("\\.?0+$", "") + "%";
        });
        XYSeries series = chart.addSeries("latency", x, y);
        series.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(3);
        return chart;
    }

    private static void line(XYChart chart, String name, List<Second> timeline, ToDoubleFunction<Second> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Second s : timeline) {
            double v = value.applyAsDouble(s);
            if (!Double.isNaN(v)) {
                x.add(s.t());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        }
    }

    private static void save(XYChart chart, Path withoutExtension) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, withoutExtension.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
