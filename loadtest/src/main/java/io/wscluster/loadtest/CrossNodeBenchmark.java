package io.wscluster.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Cross-node throughput and latency. Subscribers on every node listen to one channel; publishers
 * spread over the nodes publish at a fixed total rate, each message stamped with its intended send
 * time (so a stalled sender does not hide latency). Each step reports deliveries per second, loss,
 * duplicates, reordering, and publish-to-deliver latency for same-node and cross-node deliveries.
 *
 * <pre>
 * java -cp 'loadtest/target/classes:loadtest/target/lib/*' io.wscluster.loadtest.CrossNodeBenchmark \
 *     --nodes=http://127.0.0.1:8080,http://127.0.0.1:8081 --subscribers=20 --rates=1000,5000 --seconds=10
 * </pre>
 *
 * Bounded: every step ends after its duration plus at most {@code --drain-seconds} of waiting. A first,
 * unreported step of {@code --warmup-seconds} (default 8) lets the servers' JIT settle.
 */
public final class CrossNodeBenchmark {

    /** Publishers stay under the server's default per-connection limit of 1,000 frames/s. */
    private static final int RATE_PER_PUBLISHER = 800;

    private final List<String> nodes;
    private final int subscribersPerNode;
    private final int payloadBytes;
    private final String channel;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    private final List<Subscriber> subscribers = new ArrayList<>();

    private CrossNodeBenchmark(Map<String, String> options) {
        this.nodes = List.of(options.getOrDefault("nodes", "http://127.0.0.1:8080").split(","));
        this.subscribersPerNode = Integer.parseInt(options.getOrDefault("subscribers", "10"));
        this.payloadBytes = Integer.parseInt(options.getOrDefault("payload", "64"));
        this.channel = options.getOrDefault("channel", "room.bench");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        CrossNodeBenchmark bench = new CrossNodeBenchmark(options);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int drainSeconds = Integer.parseInt(options.getOrDefault("drain-seconds", "10"));
        bench.connectSubscribers();
        int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "8"));
        if (warmup > 0) {
            // The servers' JIT compiles the delivery path during the first seconds; those are not reported.
            bench.step(Integer.parseInt(options.getOrDefault("rates", "1000").split(",")[0].trim()), warmup, drainSeconds, false);
        }
        System.out.printf(Locale.ROOT, "%d node(s), %d subscribers per node on %s, %d-byte payloads, %d s per step%n",
                bench.nodes.size(), bench.subscribersPerNode, bench.channel, bench.payloadBytes, seconds);
        System.out.println("  rate/s  published  expected   delivered  lost  dup  ooo  deliveries/s | same-node p50/p99/max ms | cross-node p50/p99/max ms");
        for (String rate : options.getOrDefault("rates", "1000").split(",")) {
            bench.step(Integer.parseInt(rate.trim()), seconds, drainSeconds, true);
        }
        System.exit(0);
    }

    private void connectSubscribers() {
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            for (int i = 0; i < subscribersPerNode; i++) {
                Subscriber subscriber = new Subscriber(n);
                subscriber.socket = connect(n, "bench-sub-" + n + "-" + i, subscriber);
                subscriber.socket.sendText("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).join();
                subscribers.add(subscriber);
                subscribed.add(subscriber.subscribed);
            }
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private WebSocket connect(int node, String user, WebSocket.Listener listener) {
        URI uri = URI.create(nodes.get(node).replaceFirst("^http", "ws") + "/ws?user=" + user);
        return http.newWebSocketBuilder().buildAsync(uri, listener).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void step(int rate, int seconds, int drainSeconds, boolean report) throws InterruptedException {
        int publisherCount = Math.max(nodes.size(), (rate + RATE_PER_PUBLISHER - 1) / RATE_PER_PUBLISHER);
        long perPublisher = (long) rate * seconds / publisherCount;
        String padding = "x".repeat(Math.max(0, payloadBytes - 40));
        subscribers.forEach(Subscriber::reset);
        ConcurrentHistogram sameNode = new ConcurrentHistogram(60_000_000_000L, 3);
        ConcurrentHistogram crossNode = new ConcurrentHistogram(60_000_000_000L, 3);
        subscribers.forEach(s -> s.record(sameNode, crossNode, publisherCount));

        List<WebSocket> publishers = new ArrayList<>();
        for (int p = 0; p < publisherCount; p++) {
            publishers.add(connect(p % nodes.size(), "bench-pub-" + p, new WebSocket.Listener() { }));
        }
        long start = System.nanoTime() + 50_000_000;
        long intervalNanos = 1_000_000_000L * publisherCount / rate;
        CountDownLatch done = new CountDownLatch(publisherCount);
        AtomicLong published = new AtomicLong();
        for (int p = 0; p < publisherCount; p++) {
            int publisher = p;
            WebSocket socket = publishers.get(p);
            Thread sender = new Thread(() -> {
                for (long s = 0; s < perPublisher; s++) {
                    long intended = start + (publisher * intervalNanos / publisherCount) + s * intervalNanos;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    socket.sendText("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"p\":" + publisher
                            + ",\"s\":" + s + ",\"n\":" + (publisher % nodes.size()) + ",\"t\":" + intended + ",\"x\":\"" + padding + "\"}}", true).join();
                    published.incrementAndGet();
                }
                done.countDown();
            }, "publisher-" + p);
            sender.setDaemon(true);
            sender.start();
        }
        done.await(seconds * 3L + 30, TimeUnit.SECONDS);
        long publishEnd = System.nanoTime();
        long expected = published.get() * subscribers.size();
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
        while (received() < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(20); // bounded wait for stragglers; the count decides, not the sleep
        }
        long end = Math.max(publishEnd, subscribers.stream().mapToLong(s -> s.lastArrival).max().orElse(publishEnd));
        long delivered = received();
        long duplicates = subscribers.stream().mapToLong(s -> s.duplicates).sum();
        long outOfOrder = subscribers.stream().mapToLong(s -> s.outOfOrder).sum();
        double seconds_ = (end - start) / 1e9;
        publishers.forEach(WebSocket::abort);
        if (!report) {
            return;
        }
        System.out.printf(Locale.ROOT, "%8d %10d %9d %11d %5d %4d %4d %13.0f | %7s | %7s%n", rate, published.get(), expected,
                delivered, expected - (delivered - duplicates), duplicates, outOfOrder, delivered / seconds_,
                percentiles(sameNode), percentiles(crossNode));
    }

    private long received() {
        return subscribers.stream().mapToLong(s -> s.received.get()).sum();
    }

    private static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "        -";
        }
        return String.format(Locale.ROOT, "%6.2f %6.2f %7.2f", h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    /** One subscribed connection: counts what it receives per publisher, in order or not. */
    private static final class Subscriber implements WebSocket.Listener {
        final int node;
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final AtomicLong received = new AtomicLong();
        WebSocket socket;
        volatile long lastArrival;
        long duplicates;
        long outOfOrder;
        private Histogram sameNode;
        private Histogram crossNode;
        private long[] lastSeq = new long[0];
        private BitSet[] seen = new BitSet[0];
        private final StringBuilder partial = new StringBuilder();

        Subscriber(int node) {
            this.node = node;
        }

        synchronized void reset() {
            received.set(0);
            duplicates = 0;
            outOfOrder = 0;
        }

        synchronized void record(Histogram same, Histogram cross, int publishers) {
            sameNode = same;
            crossNode = cross;
            lastSeq = new long[publishers];
            java.util.Arrays.fill(lastSeq, -1);
            seen = new BitSet[publishers];
            for (int i = 0; i < publishers; i++) {
                seen[i] = new BitSet();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("{\"type\":\"message\"")) {
                    onMessage(frame, now);
                } else if (frame.startsWith("{\"type\":\"subscribed\"")) {
                    subscribed.complete(null);
                }
            }
            webSocket.request(1);
            return null;
        }

        private synchronized void onMessage(String frame, long now) {
            int publisher = (int) field(frame, "\"p\":");
            long sequence = field(frame, "\"s\":");
            int origin = (int) field(frame, "\"n\":");
            long intended = field(frame, "\"t\":");
            if (publisher >= seen.length) {
                return; // a straggler from the previous step
            }
            received.incrementAndGet();
            lastArrival = now;
            if (seen[publisher].get((int) sequence)) {
                duplicates++;
                return;
            }
            seen[publisher].set((int) sequence);
            if (sequence < lastSeq[publisher]) {
                outOfOrder++;
            }
            lastSeq[publisher] = Math.max(lastSeq[publisher], sequence);
            (origin == node ? sameNode : crossNode).recordValue(Math.max(0, now - intended));
        }

        private static long field(String frame, String name) {
            int at = frame.indexOf(name) + name.length();
            int end = at;
            while (end < frame.length() && (Character.isDigit(frame.charAt(end)) || frame.charAt(end) == '-')) {
                end++;
            }
            return Long.parseLong(frame, at, end, 10);
        }
    }
}
