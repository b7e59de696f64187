package io.wscluster.loadtest.client;

import io.wscluster.loadtest.measure.Clock;
import io.wscluster.loadtest.measure.MessageId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes at a fixed rate on one thread for this process's publishers, over their sockets or the REST
 * API. Each message carries its publisher, channel, per-channel sequence number and its <em>intended</em>
 * send time, so a publisher that falls behind does not hide the delay (no coordinated omission). A message
 * the socket or the REST client cannot take now is skipped and counted, never queued without bound.
 */
public final class PublishLoop implements Runnable {

    /** Requests in flight per process when publishing over REST. */
    private static final int REST_IN_FLIGHT = 256;

    private final RunContext run;
    private final int[] publisherIds;
    private final List<BenchSocket> sockets;
    private final List<URI> restBases;
    private final double intervalMicros;
    private final int totalPublishers;
    private final long startMicros;
    private final long stopMicros;
    private final String padding;
    private final long[][] sequences;
    private final SplittableRandom random;
    private final HttpClient http;
    private final Semaphore inFlight = new Semaphore(REST_IN_FLIGHT);

    /**
     * @param sockets one per publisher id for socket publishing, or empty for REST
     * @param restBases http(s) base URLs to spread REST publishers over
     */
    public PublishLoop(RunContext run, int[] publisherIds, List<BenchSocket> sockets, List<URI> restBases, double rate,
                       long startMicros, long stopMicros, int payloadBytes, long seed) {
        this.run = run;
        this.publisherIds = publisherIds;
        this.sockets = sockets;
        this.restBases = restBases;
        this.totalPublishers = run.publishers;
        this.intervalMicros = 1_000_000.0 * totalPublishers / rate;
        this.startMicros = startMicros;
        this.stopMicros = stopMicros;
        this.padding = "x".repeat(Math.max(0, payloadBytes - 60));
        this.sequences = new long[publisherIds.length][run.channels.size()];
        this.random = new SplittableRandom(seed);
        this.http = sockets.isEmpty() ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build() : null;
    }


    @Override
    public void run() {
        long[] sent = new long[publisherIds.length];
        while (true) {
            long now = Clock.micros();
            long next = Long.MAX_VALUE;
            for (int i = 0; i < publisherIds.length; i++) {
                long intended;
                while ((intended = intended(i, sent[i])) <= now && intended < stopMicros) {
                    publish(i, intended);
                    sent[i]++;
                }
                next = Math.min(next, intended);
            }
            if (next >= stopMicros) {
                return;
            }
            LockSupport.parkNanos(Math.max(0, next - Clock.micros()) * 1_000);
        }
    }

    private long intended(int local, long k) {
        // Publishers are staggered evenly inside one interval, so the total rate is smooth.
        return startMicros + Math.round((k + (double) publisherIds[local] / totalPublishers) * intervalMicros);
    }

    /**
     * Every publish carries a key, as the clients' do by default: a message is published once per key, so a
     * retry (HAProxy's of a REST publish, say) never delivers it twice.
     */
    private String idempotencyKey(int local, int channel, long seq) {
        return "lt" + run.runId + "-" + publisherIds[local] + "-" + channel + "-" + seq;
    }

    private void publish(int local, long intendedMicros) {
        int channel = run.channels.pick(random);
        long seq = sequences[local][channel];
        String data = "{\"lt\":" + run.runId + ",\"p\":" + publisherIds[local] + ",\"c\":" + channel + ",\"s\":" + seq
                + ",\"t\":" + intendedMicros + ",\"x\":\"" + padding + "\"}";
        if (http == null) {
            // The request id names channel and sequence number, so the reply tells which message it answers.
            MessageId id = new MessageId(publisherIds[local], channel, seq);
            run.unacknowledged.add(id);
            if (sockets.get(local).send("{\"type\":\"publish\",\"channel\":\"" + run.channels.name(channel) + "\",\"data\":" + data
                    + ",\"idempotencyKey\":\"" + idempotencyKey(local, channel, seq) + "\",\"id\":"
                    + MessageId.requestId(channel, seq, run.channels.size()) + "}")) {
                sequences[local][channel]++;
                run.tallies.published.increment();
            } else {
                run.unacknowledged.remove(id);
                run.tallies.publishSkipped.increment();
            }
            return;
        }
        if (!inFlight.tryAcquire()) {
            run.tallies.publishSkipped.increment();
            return;
        }
        // A failed request leaves a gap in the sequence: harmless, expected counts only what was accepted.
        sequences[local][channel]++;
        URI base = restBases.get(publisherIds[local] % restBases.size());
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve("/api/channels/" + run.channels.name(channel) + "/messages"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey(local, channel, seq));
        if (run.credentials.apiAuthorization() != null) {
            builder.header("Authorization", run.credentials.apiAuthorization());
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(data)).build();
        MessageId id = new MessageId(publisherIds[local], channel, seq);
        run.unacknowledged.add(id);
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inFlight.release();
            if (failure == null && response.statusCode() == 202) {
                run.unacknowledged.remove(id);
                run.accepted.incrementAndGet(channel);
                run.tallies.published.increment();
                run.tallies.publishAcknowledged.increment();
                return;
            }
            run.tallies.error(failure != null ? "REST: " + failure.getClass().getSimpleName() : "REST " + response.statusCode());
        });
    }

    /** Waits for REST requests still in flight (bounded). */
    public void awaitInFlight(Duration timeout) throws InterruptedException {
        if (inFlight.tryAcquire(REST_IN_FLIGHT, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            inFlight.release(REST_IN_FLIGHT);
        }
    }
}
