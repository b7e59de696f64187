package io.wscluster.loadtest.run;

import io.wscluster.loadtest.run.Options;
import io.wscluster.loadtest.client.BenchSocket;
import io.wscluster.loadtest.client.Connector;
import io.wscluster.loadtest.client.Credentials;
import io.wscluster.loadtest.client.PublishLoop;
import io.wscluster.loadtest.client.RunContext;
import io.wscluster.loadtest.measure.MessageId;
import io.wscluster.loadtest.measure.Tallies;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One load-generating process, started by the {@link Coordinator}: holds its share of the connections
 * (and of the publishers), ramps them up at its share of the rate, and answers the coordinator's commands
 * on stdin with one JSON line each on stdout. Exits when stdin ends, so it never outlives the coordinator.
 */
public final class Worker {

    /** Lost messages named per connection and per process: enough to tell one missed message from a gap. */
    private static final int MISSED_PER_CONNECTION = 100;
    private static final int MISSED_REPORTED = 1_000;

    private final Options options;
    private final Settings settings;
    private final int workerIndex;
    private final RunContext run;
    private final List<BenchSocket> subscribers = new ArrayList<>();
    private final List<BenchSocket> publisherSockets = new ArrayList<>();
    private final int[] publisherIds;
    private PublishLoop publishLoop;
    private Thread publishThread;

    Worker(Options options) throws java.io.IOException {
        this.options = options;
        this.settings = Settings.from(options);
        this.workerIndex = options.integer("worker-index", 0);
        String trust = options.string("trust", null);
        Connector connector = new Connector(settings.targets(), settings.sourceAddresses(),
                trust == null ? null : new File(trust), Math.min(2, Runtime.getRuntime().availableProcessors()));
        this.run = new RunContext(connector, new Tallies(), settings.channels(), settings.runId(), settings.publishers(),
                Credentials.from(Coordinator.secretsFile(options)), settings.heartbeat().toMillis(),
                settings.maxInFlightPerProcess());
        this.publisherIds = IntStream.range(0, settings.publishers())
                .filter(p -> p % settings.processes() == workerIndex).toArray();
    }

    public static void main(Options options) throws Exception {
        new Worker(options).serve(System.in, System.out);
        System.exit(0);
    }

    private void serve(java.io.InputStream in, PrintStream out) throws Exception {
        startConnecting();
        BufferedReader commands = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "sample" -> reply(out, run.tallies.snapshot().add("kind", "stat"));
                case "kill-at" -> run.killedAtMicros = Long.parseLong(words[1]);
                case "publish" -> startPublishing(Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3]));
                case "final" -> reply(out, finalReport());
                case "exit" -> {
                    shutdown();
                    return;
                }
                default -> System.err.println("worker " + workerIndex + ": unknown command " + line);
            }
        }
        shutdown();
    }

    private static void reply(PrintStream out, JsonObjectBuilder json) {
        out.println(json.build());
        out.flush();
    }

    private void startConnecting() {
        int first = options.integer("first-connection", 0);
        int count = options.integer("connection-count", settings.connections());
        for (int p : publisherIds) {
            BenchSocket publisher = new BenchSocket(run, p, "lt-pub-" + p, new int[0]);
            publisherSockets.add(publisher);
            if (settings.publishViaSocket()) {
                publisher.connect();
            }
        }
        // This process's share of the ramp: connection k of it starts k / (ramp / processes) seconds in.
        double perConnectionMicros = 1_000_000.0 * settings.processes() / settings.ramp();
        for (int k = 0; k < count; k++) {
            int index = first + k;
            int[] channels = settings.channels().pickDistinct(new SplittableRandom(settings.seed() + index), settings.subscriptions());
            BenchSocket socket = new BenchSocket(run, index, "lt-" + index, channels);
            subscribers.add(socket);
            run.connector.group().schedule(socket::connect, Math.round(k * perConnectionMicros), TimeUnit.MICROSECONDS);
        }
    }

    private void startPublishing(long startMicros, long measureFromMicros, long stopMicros) {
        subscribers.forEach(BenchSocket::track);
        run.measureFromMicros = measureFromMicros;
        if (publisherIds.length == 0 || settings.rate() <= 0) {
            return;
        }
        List<URI> restBases = settings.targets().stream()
                .map(t -> URI.create(t.getScheme().replaceFirst("^ws", "http") + "://" + t.getAuthority() + "/")).toList();
        publishLoop = new PublishLoop(run, publisherIds, settings.publishViaSocket() ? publisherSockets : List.of(), restBases,
                settings.rate(), startMicros, stopMicros, settings.payloadBytes(), settings.seed() * 31 + workerIndex);
        publishThread = new Thread(publishLoop, "publish-loop");
        publishThread.setDaemon(true);
        publishThread.start();
    }

    private JsonObjectBuilder finalReport() throws InterruptedException {
        if (publishThread != null) {
            publishThread.join(TimeUnit.SECONDS.toMillis(30));
            publishLoop.awaitInFlight(Duration.ofSeconds(10));
        }
        int channelCount = settings.channels().size();
        long[] tracked = new long[channelCount];
        long[] affected = new long[channelCount];
        long trackedDistinct = 0;
        long affectedDistinct = 0;
        int trackedConnections = 0;
        int affectedConnections = 0;
        int downAtEnd = 0;
        Map<MessageId, long[]> missed = new HashMap<>(); // by how many connections, how many of them reconnected
        for (BenchSocket socket : subscribers) {
            if (!socket.isTracked()) {
                continue;
            }
            trackedConnections++;
            for (MessageId id : socket.missing(MISSED_PER_CONNECTION)) {
                long[] n = missed.computeIfAbsent(id, k -> new long[2]);
                n[0]++;
                n[1] += socket.reconnected() ? 1 : 0;
            }
            long distinct = socket.distinct();
            trackedDistinct += distinct;
            for (int c : socket.channels()) {
                tracked[c]++;
            }
            if (socket.isAffected()) {
                affectedConnections++;
                affectedDistinct += distinct;
                for (int c : socket.channels()) {
                    affected[c]++;
                }
            }
            if (!socket.isReady()) {
                downAtEnd++;
            }
        }
        JsonArrayBuilder published = Json.createArrayBuilder();
        JsonArrayBuilder trackedJson = Json.createArrayBuilder();
        JsonArrayBuilder affectedJson = Json.createArrayBuilder();
        for (int c = 0; c < channelCount; c++) {
            published.add(run.accepted.get(c));
            trackedJson.add(tracked[c]);
            affectedJson.add(affected[c]);
        }
        JsonArrayBuilder missedJson = Json.createArrayBuilder();
        missed.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(MISSED_REPORTED)
                .forEach(e -> missedJson.add(Json.createObjectBuilder().add("id", e.getKey().toString())
                        .add("clients", e.getValue()[0]).add("reconnected", e.getValue()[1])));
        JsonArrayBuilder unacknowledged = Json.createArrayBuilder();
        run.unacknowledged.forEach(id -> unacknowledged.add(id.toString()));
        JsonArrayBuilder reconnections = Json.createArrayBuilder();
        run.reconnections.forEach(r -> reconnections.add(r.toJson()));
        return run.tallies.snapshot().add("kind", "final")
                .add("publishedPerChannel", published)
                .add("trackedPerChannel", trackedJson)
                .add("affectedPerChannel", affectedJson)
                .add("trackedConnections", trackedConnections)
                .add("trackedDistinct", trackedDistinct)
                .add("affectedConnections", affectedConnections)
                .add("affectedDistinct", affectedDistinct)
                .add("downAtEnd", downAtEnd)
                .add("missed", missedJson)
                .add("unacknowledged", unacknowledged)
                .add("reconnections", reconnections);
    }

    private void shutdown() {
        run.stopping = true;
        subscribers.forEach(BenchSocket::close);
        publisherSockets.forEach(BenchSocket::close);
        run.connector.close();
    }
}
