package io.wscluster.loadtest.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line as {@code --name=value} pairs, with typed getters that name their defaults. */
public final class Options {

    private static final Set<String> KNOWN = Set.of("targets", "connections", "ramp", "processes", "source-addresses",
            "channels", "subscriptions", "publishers", "rate", "publish-via", "payload", "warmup", "duration",
            "connect-timeout", "heartbeat", "drain-timeout", "kill", "kill-signal", "run-dir", "secrets", "sample-nodes", "report", "label",
            "slo-p99-ms", "worker-heap", "worker-jvm-options", "seed", "trust", "node-cpu", "max-in-flight", "help",
            // given to worker processes by the coordinator
            "worker", "worker-index", "first-connection", "connection-count", "run-id");

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    public static Options parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("not an option: " + arg + " (options look like --name=value)");
            }
            String[] kv = arg.substring(2).split("=", 2);
            if (!KNOWN.contains(kv[0])) {
                throw new IllegalArgumentException("unknown option --" + kv[0] + " (see --help)");
            }
            values.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return new Options(values);
    }

    public Options with(String name, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, String.valueOf(value));
        return new Options(copy);
    }

    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        values.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        String value = values.get(name);
        try {
            return value == null ? defaultValue : Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + value);
        }
    }

    public double decimal(String name, double defaultValue) {
        String value = values.get(name);
        try {
            return value == null ? defaultValue : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not " + value);
        }
    }

    /** A duration as {@code 30s}, {@code 2m}, {@code 500ms} or plain seconds. */
    public Duration duration(String name, Duration defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : parseDuration(name, value);
    }

    public static Duration parseDuration(String name, String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60));
            }
            String seconds = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 30s, 2m or 500ms, not " + value);
        }
    }
}
