package io.wscluster.channel;

import java.time.Duration;
import java.util.Locale;

/**
 * How a channel behaves, from the options of the first configuration entry that matches its name, e.g.
 * {@code prices.*{slow=latest-per-key}} or {@code chat.*{history=100;history-ttl=10m;presence}}.
 *
 * @param slowConsumer {@code slow=}: what happens to a client that lags (default {@code disconnect})
 * @param historySize {@code history=N}: messages kept for recovery and the history API; 0 (default) keeps none
 * @param historyTtl {@code history-ttl=}: how long a message is kept (default 5m when history is on)
 */
public record ChannelOptions(SlowConsumerPolicy slowConsumer, int historySize, Duration historyTtl) {

    public static final ChannelOptions DEFAULTS = new ChannelOptions(SlowConsumerPolicy.DISCONNECT, 0, Duration.ofMinutes(5));

    /** Parses {@code name=value;flag;...} (the text between an entry's braces). */
    static ChannelOptions parse(String spec) {
        SlowConsumerPolicy slow = DEFAULTS.slowConsumer();
        int historySize = DEFAULTS.historySize();
        Duration historyTtl = DEFAULTS.historyTtl();
        for (String option : spec.split(";")) {
            String trimmed = option.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
            String value = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
            switch (name) {
                case "slow" -> slow = SlowConsumerPolicy.fromWire(value);
                case "history" -> historySize = positive(name, value);
                case "history-ttl" -> historyTtl = duration(name, value);
                default -> throw new IllegalArgumentException("unknown channel option '" + name
                        + "'; one of slow, history, history-ttl");
            }
        }
        return new ChannelOptions(slow, historySize, historyTtl);
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a whole number, not '" + value + "'");
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}. */
    static Duration duration(String name, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a duration such as 500ms, 30s, 10m or 2h, not '" + value + "'");
    }
}
