package io.wscluster.loadtest.measure;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One worker process's counters, gauges and histograms, written from its event-loop threads without
 * locks and read once a second for the coordinator (histograms as interval snapshots).
 */
public final class Tallies {

    /** Latencies up to an hour, three significant digits, in microseconds. */
    public static final long HIGHEST_MICROS = 3_600_000_000L;

    public final AtomicInteger connected = new AtomicInteger();
    public final AtomicInteger subscribed = new AtomicInteger();
    /** Publishing connections that are up (not in {@link #connected}, which counts subscribers). */
    public final AtomicInteger publishersReady = new AtomicInteger();
    public final LongAdder connectAttempts = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder reconnects = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder publishAcknowledged = new LongAdder();
    public final LongAdder publishSkipped = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder late = new LongAdder();
    /** Messages replayed to a client that resubscribed from its position (not in the latency figures). */
    public final LongAdder recovered = new LongAdder();
    /** Resubscriptions the server could not recover (beyond the history, or a new epoch). */
    public final LongAdder unrecovered = new LongAdder();
    public final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    public final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    public final Recorder connectTime = new Recorder(HIGHEST_MICROS, 3);

    /** An empty histogram of microseconds, to the range and precision of every figure the tool reports. */
    public static Histogram micros() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    public void close(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void error(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A JSON snapshot: cumulative counters, current gauges, and the histograms since the last snapshot. */
    public JsonObjectBuilder snapshot() {
        JsonObjectBuilder closesJson = Json.createObjectBuilder();
        new TreeMap<>(closes).forEach((code, n) -> closesJson.add(String.valueOf(code), n.sum()));
        JsonObjectBuilder errorsJson = Json.createObjectBuilder();
        new TreeMap<>(errors).forEach((code, n) -> errorsJson.add(code, n.sum()));
        return Json.createObjectBuilder()
                .add("connected", connected.get())
                .add("subscribed", subscribed.get())
                .add("publishersReady", publishersReady.get())
                .add("connectAttempts", connectAttempts.sum())
                .add("connectFailures", connectFailures.sum())
                .add("reconnects", reconnects.sum())
                .add("published", published.sum())
                .add("publishAcknowledged", publishAcknowledged.sum())
                .add("publishSkipped", publishSkipped.sum())
                .add("delivered", delivered.sum())
                .add("duplicates", duplicates.sum())
                .add("late", late.sum())
                .add("recovered", recovered.sum())
                .add("unrecovered", unrecovered.sum())
                .add("closes", closesJson)
                .add("errors", errorsJson)
                .add("latency", encode(latency.getIntervalHistogram()))
                .add("connectTime", encode(connectTime.getIntervalHistogram()));
    }

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    public static Histogram decode(String encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), HIGHEST_MICROS);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }
}
