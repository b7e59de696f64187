package io.wscluster.it.support;

import java.util.HashMap;
import java.util.Map;

/** A scrape of a node's application metrics (Prometheus text), looked up by series name and labels. */
public final class Metrics {

    private final Map<String, Double> series = new HashMap<>();

    private Metrics(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(withoutScope(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** Drops the mp_scope label every series carries, so tests name only the labels that matter. */
    private static String withoutScope(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        String labels = java.util.Arrays.stream(series.substring(brace + 1, series.length() - 1).split(","))
                .filter(label -> !label.startsWith("mp_scope=")).collect(java.util.stream.Collectors.joining(","));
        return labels.isEmpty() ? series.substring(0, brace) : series.substring(0, brace) + "{" + labels + "}";
    }

    public static Metrics scrape(Node node) {
        return new Metrics(node.get("/metrics?scope=application").body());
    }

    /** @param name the series as Prometheus prints it without mp_scope, e.g. {@code wscluster_errors_total{code="BAD_JSON"}} */
    public double value(String name) {
        return series.getOrDefault(name, 0.0);
    }

    public boolean has(String name) {
        return series.containsKey(name);
    }
}
