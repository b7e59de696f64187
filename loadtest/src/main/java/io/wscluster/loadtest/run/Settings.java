package io.wscluster.loadtest.run;

import io.wscluster.loadtest.client.ChannelMix;
import io.wscluster.loadtest.run.Options;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run's parameters with their defaults resolved. The coordinator resolves them once and hands the
 * result to every worker as explicit options, so all processes agree (run id, processes, publishers).
 */
public record Settings(List<URI> targets, int connections, double ramp, int processes, List<String> sourceAddresses,
                       ChannelMix channels, int subscriptions, int publishers, double rate, boolean publishViaSocket,
                       int payloadBytes, Duration warmup, Duration duration, Duration heartbeat, int maxInFlight, long runId,
                       long seed) {

    /** Below the 20,000 open files a process may have here, with room for the JVM's own. */
    static final int CONNECTIONS_PER_PROCESS = 15_000;
    /** Ephemeral ports per source address are 32768-60999; keep a margin. */
    static final int CONNECTIONS_PER_ADDRESS = 25_000;
    /** The nodes allow 1,000 frames/s per connection (wscluster.session.max-frames-per-second). */
    static final int RATE_PER_SOCKET_PUBLISHER = 500;

    public static Settings from(Options o) {
        List<URI> targets = Arrays.stream(o.string("targets", "ws://127.0.0.1:8000/ws").split(","))
                .map(String::trim).map(Settings::webSocketUri).toList();
        int connections = o.integer("connections", 1000);
        double ramp = o.decimal("ramp", 500);
        int processes = o.integer("processes", Math.max(1, (connections + CONNECTIONS_PER_PROCESS - 1) / CONNECTIONS_PER_PROCESS));
        String via = o.string("publish-via", "socket");
        if (!via.equals("socket") && !via.equals("rest")) {
            throw new IllegalArgumentException("--publish-via is socket or rest, not " + via);
        }
        double rate = o.decimal("rate", 0);
        int publishers = o.integer("publishers", rate <= 0 ? 0 : (int) Math.max(1, Math.ceil(rate / RATE_PER_SOCKET_PUBLISHER)));
        if (connections < 0 || ramp <= 0 || processes < 1 || (rate > 0 && publishers < 1)) {
            throw new IllegalArgumentException("--connections >= 0, --ramp > 0, --processes >= 1, --publishers >= 1 when --rate > 0");
        }
        return new Settings(targets, connections, ramp, processes, sourceAddresses(o.string("source-addresses", "auto"), connections),
                ChannelMix.parse(o.string("channels", "hot")), o.integer("subscriptions", 1), publishers, rate,
                via.equals("socket"), o.integer("payload", 100), o.duration("warmup", Duration.ofSeconds(5)),
                o.duration("duration", Duration.ofSeconds(30)), o.duration("heartbeat", Duration.ofSeconds(25)),
                o.integer("max-in-flight", 0),
                Long.parseLong(o.string("run-id", String.valueOf(ThreadLocalRandom.current().nextLong(1, 1L << 40)))),
                Long.parseLong(o.string("seed", "1")));
    }

    /**
     * The attempts one load process may keep in flight: its share of {@code --max-in-flight}, at least one (so
     * a bound below the process count is exceeded); 0 when there is no bound.
     */
    public int maxInFlightPerProcess() {
        return maxInFlight <= 0 ? 0 : Math.max(1, maxInFlight / processes);
    }

    /** These settings as options, defaults included, for a worker process. */
    public Options toOptions(Options given) {
        return given.with("targets", String.join(",", targets.stream().map(URI::toString).toList()))
                .with("connections", connections).with("processes", processes)
                .with("source-addresses", sourceAddresses.isEmpty() ? "none" : String.join(",", sourceAddresses))
                .with("publishers", publishers).with("run-id", runId);
    }

    static URI webSocketUri(String target) {
        URI uri = URI.create(target.replaceFirst("^http", "ws"));
        if (!uri.getScheme().equals("ws") && !uri.getScheme().equals("wss")) {
            throw new IllegalArgumentException("--targets are ws://, wss:// or http(s):// URLs, not " + target);
        }
        return uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") ? uri.resolve("/ws") : uri;
    }

    /**
     * {@code auto}: none while one address has enough ports, else 127.0.0.1, 127.0.0.2, ... as many as
     * needed; {@code none}; a count N (127.0.0.1 to 127.0.0.N); or a comma-separated list.
     */
    static List<String> sourceAddresses(String spec, int connections) {
        if (spec.equals("none")) {
            return List.of();
        }
        int count;
        if (spec.equals("auto")) {
            count = connections <= CONNECTIONS_PER_ADDRESS ? 0 : (connections + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS;
        } else if (spec.matches("\\d+")) {
            count = Integer.parseInt(spec);
        } else {
            return List.of(spec.split(","));
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= Math.min(count, 254); i++) {
            addresses.add("127.0.0." + i);
        }
        return addresses;
    }
}
