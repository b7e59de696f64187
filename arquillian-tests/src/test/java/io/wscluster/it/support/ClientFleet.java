package io.wscluster.it.support;

import io.wscluster.client.ClientMessage;
import io.wscluster.client.ClientState;
import io.wscluster.client.WsclusterClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Collections;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Many wscluster Java clients on one shared JDK HTTP client, each a user subscribed to one channel; it
 * records when each lost its connection, when it was last ready (connected and resubscribed), which
 * message ids each received in order, and how many resubscriptions could not recover what was missed.
 */
public final class ClientFleet implements AutoCloseable {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WsclusterClient> clients = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final AtomicLongArray readyAt;
    private final AtomicLongArray lostAt;
    private final AtomicLongArray openAt;
    private final List<List<ClientMessage>> received = new ArrayList<>();
    private final AtomicInteger unrecovered = new AtomicInteger();

    /**
     * Connects {@code count} users named {@code prefix-N} to {@code entry}, {@code batch} at a time (each batch
     * ready before the next), all subscribed to {@code channel}.
     */
    public ClientFleet(URI entry, String prefix, int count, int batch, String channel) throws InterruptedException {
        readyAt = new AtomicLongArray(count);
        lostAt = new AtomicLongArray(count);
        openAt = new AtomicLongArray(count);
        for (int from = 0; from < count; from += batch) {
            int to = Math.min(count, from + batch);
            CountDownLatch ready = new CountDownLatch(to - from);
            for (int i = from; i < to; i++) {
                int index = i;
                String user = prefix + "-" + i;
                List<ClientMessage> messages = Collections.synchronizedList(new ArrayList<>());
                WsclusterClient client = WsclusterClient.builder().urls(List.of(entry)).user(user).httpClient(http)
                        // The library's defaults (25 s pings, backoff from 250 ms) but for a shorter backoff ceiling.
                        .backoff(Duration.ofMillis(250), Duration.ofSeconds(4))
                        .onMessage(messages::add)
                        .onUnrecovered(c -> unrecovered.incrementAndGet())
                        .onState(state -> {
                            if (state == ClientState.RECONNECTING && readyAt.get(index) > lostAt.get(index)) {
                                lostAt.set(index, System.nanoTime());
                            } else if (state == ClientState.OPEN) {
                                openAt.set(index, System.nanoTime());
                            }
                        })
                        .onReady(() -> {
                            readyAt.set(index, System.nanoTime());
                            ready.countDown();
                        }).build();
                users.add(user);
                received.add(messages);
                clients.add(client);
                client.subscribe(channel);
                client.connect();
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError(ready.getCount() + " of clients " + from + ".." + (to - 1) + " not ready after 60 s");
            }
        }
    }

    public int size() {
        return clients.size();
    }

    public String user(int i) {
        return users.get(i);
    }

    public WsclusterClient client(int i) {
        return clients.get(i);
    }

    /** The clients that became ready (again) after {@code nanos}. */
    public List<Integer> readySince(long nanos) {
        return IntStream.range(0, size()).filter(i -> readyAt.get(i) > nanos).boxed().toList();
    }

    public long readyAt(int i) {
        return readyAt.get(i);
    }

    /** When client {@code i} last lost its connection (its first reconnect attempt began). */
    public long lostAt(int i) {
        return lostAt.get(i);
    }

    /** When client {@code i}'s socket last opened (before it resubscribed). */
    public long openAt(int i) {
        return openAt.get(i);
    }

    /** Whether every client is connected and resubscribed (none is between a lost connection and ready). */
    public boolean allReady() {
        return IntStream.range(0, size()).allMatch(i -> readyAt.get(i) > lostAt.get(i));
    }

    /** The clients that have not received the message. */
    public List<Integer> missing(String messageId) {
        return IntStream.range(0, size()).filter(i -> !received(i).contains(messageId)).boxed().toList();
    }

    /** The clients that have not received every one of the messages. */
    public List<Integer> missingAny(List<String> messageIds) {
        return IntStream.range(0, size()).filter(i -> !new HashSet<>(received(i)).containsAll(messageIds)).boxed().toList();
    }

    /** What client {@code i} received, in order of arrival. */
    public List<String> received(int i) {
        return messages(i).stream().map(ClientMessage::id).toList();
    }

    /** What client {@code i} received, in order of arrival, with the stream positions. */
    public List<ClientMessage> messages(int i) {
        List<ClientMessage> messages = received.get(i);
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Resubscriptions (over all clients) after which the server said it could not replay all that was missed. */
    public int unrecovered() {
        return unrecovered.get();
    }

    /** p50, p99 and max of the given durations in milliseconds, as a line for the test's output. */
    public static String percentiles(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format("n=%d p50=%d ms p99=%d ms max=%d ms", sorted.length, sorted[percentileIndex(sorted, 0.50)],
                sorted[percentileIndex(sorted, 0.99)], sorted[sorted.length - 1]);
    }

    private static int percentileIndex(long[] sorted, double quantile) {
        return Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
    }

    @Override
    public void close() {
        clients.forEach(WsclusterClient::close);
    }
}
