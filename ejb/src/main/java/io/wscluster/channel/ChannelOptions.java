package io.wscluster.channel;

import java.time.Duration;
import java.util.Locale;

/**
 * How a channel behaves, from the options of the first configuration entry that matches its name, e.g.
 * {@code prices.*{slow=latest-per-key}} or {@code chat.*{history=100;history-ttl=10m;presence}}.
 *
 * @param slowConsumer {@code slow=}: what happens to a client that lags (default {@code disconnect})
 * @param historySize {@code history=N}: messages kept for recovery and the history API; 0 (default) keeps
 *     none, and messages carry no position
 * @param historyTtl {@code history-ttl=}: how long a message is kept, and a stream after its last message
 *     (default 5m)
 * @param cache {@code cache}: a new subscriber gets the channel's latest message at once (keeps history of
 *     at least 1)
 * @param presence {@code presence}: the cluster knows who is subscribed (user, connection, node, since)
 * @param joinLeave {@code join-leave}: subscribers get a frame when someone subscribes or leaves (implies presence)
 * @param subscribe {@code subscribe=}: who may subscribe (and ask for presence); default {@code authenticated}
 * @param publish {@code publish=}: who may publish from a connection; default {@code authenticated};
 *     {@code server}: only the server API
 * @param backendSubscribe {@code backend-subscribe}: a client's subscribe (allowed by the rules above) is
 *     then the application's backend's decision ({@code wscluster.backend.url})
 * @param backendPublish {@code backend-publish}: a client's publish (allowed by the rules above) is then
 *     the backend's decision, which may also rewrite its data
 */
public record ChannelOptions(SlowConsumerPolicy slowConsumer, int historySize, Duration historyTtl, boolean cache,
        boolean presence, boolean joinLeave, Access subscribe, Access publish, boolean backendSubscribe, boolean backendPublish) {

    public static final ChannelOptions DEFAULTS = new ChannelOptions(SlowConsumerPolicy.DISCONNECT, 0, Duration.ofMinutes(5),
            false, false, false, Access.AUTHENTICATED, Access.AUTHENTICATED, false, false);

    /** Whether messages on the channel are kept, and so carry positions a subscriber can resume from. */
    public boolean keepsHistory() {
        return historySize > 0;
    }

    /** Parses {@code name=value;flag;...} (the text between an entry's braces). */
    static ChannelOptions parse(String spec) {
        SlowConsumerPolicy slow = DEFAULTS.slowConsumer();
        int historySize = DEFAULTS.historySize();
        Duration historyTtl = DEFAULTS.historyTtl();
        boolean cache = false;
        boolean presence = false;
        boolean joinLeave = false;
        Access subscribe = DEFAULTS.subscribe();
        Access publish = DEFAULTS.publish();
        boolean backendSubscribe = false;
        boolean backendPublish = false;
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
                case "cache" -> cache = flag(name, value);
                case "presence" -> presence = flag(name, value);
                case "join-leave" -> joinLeave = flag(name, value);
                case "subscribe" -> subscribe = Access.fromWire(name, value);
                case "publish" -> publish = Access.fromWire(name, value);
                case "backend-subscribe" -> backendSubscribe = flag(name, value);
                case "backend-publish" -> backendPublish = flag(name, value);
                default -> throw new IllegalArgumentException("unknown channel option '" + name + "'; one of slow, history, history-ttl,"
                        + " cache, presence, join-leave, subscribe, publish, backend-subscribe, backend-publish");
            }
        }
        if (subscribe == Access.SERVER) {
            throw new IllegalArgumentException("subscribe is one of anonymous, authenticated, granted (server is for publish)");
        }
        return new ChannelOptions(slow, cache ? Math.max(1, historySize) : historySize, historyTtl, cache,
                presence || joinLeave, joinLeave, subscribe, publish, backendSubscribe, backendPublish);
    }

    private static boolean flag(String name, String value) {
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + " is a flag (" + name + " or " + name + "=false), not '" + value + "'");
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
