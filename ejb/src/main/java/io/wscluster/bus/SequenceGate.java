package io.wscluster.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Puts batches back into each origin's sequence: clustered events arrive out of order, so a batch that
 * comes early is held until the ones before it arrive, the origin leaves the cluster, or the gap has
 * been open longer than the gap timeout (then the missing batches are reported lost and skipped).
 * Released batches are handed to the consumer in order, under the gate's lock, so two threads never
 * interleave one origin's deliveries.
 */
final class SequenceGate {

    /** A new stream's first batch up to this sequence means the stream is seen from its start. */
    static final long EARLY_SEQUENCES = 64;

    private static final class Stream {
        final long epoch;
        long next;          // the sequence to deliver next; 0 until the first batch is seen
        final TreeMap<Long, MessageBatch> held = new TreeMap<>();
        long gapSince;      // when the oldest held batch started waiting

        Stream(long epoch) {
            this.epoch = epoch;
        }
    }

    private final Map<String, Stream> streams = new HashMap<>();
    private final long gapTimeoutMillis;
    private final Consumer<MessageBatch> deliver;
    private final BiConsumer<String, Long> outOfSequence;

    /** @param outOfSequence told of batches skipped as {@code "lost"} or delivered {@code "late"}, with their count */
    SequenceGate(long gapTimeoutMillis, Consumer<MessageBatch> deliver, BiConsumer<String, Long> outOfSequence) {
        this.gapTimeoutMillis = gapTimeoutMillis;
        this.deliver = deliver;
        this.outOfSequence = outOfSequence;
    }

    synchronized void accept(MessageBatch batch, long nowMillis) {
        Stream stream = streams.get(batch.origin());
        if (stream == null || stream.epoch != batch.epoch()) {
            if (stream != null) {
                releaseAll(stream); // the origin restarted: what the old run left is delivered first
            }
            stream = new Stream(batch.epoch());
            streams.put(batch.origin(), stream);
            // A stream seen from (near) its start begins at 1: its first batches may arrive in any order,
            // and taking the first one seen as the baseline would deliver the others late, out of order.
            // Joining an origin well into its stream, the first batch seen sets the baseline instead;
            // earlier ones still in flight are delivered late (see below).
            stream.next = batch.sequence() <= EARLY_SEQUENCES ? 1 : batch.sequence();
        }
        if (batch.sequence() < stream.next) {
            // Before the baseline (we joined mid-stream) or a duplicate: clustered events are not
            // duplicated, so it is one of the former: deliver rather than lose it.
            outOfSequence.accept("late", 1L);
            deliver.accept(batch);
            return;
        }
        if (batch.sequence() > stream.next) {
            if (stream.held.isEmpty()) {
                stream.gapSince = nowMillis;
            }
            stream.held.put(batch.sequence(), batch);
            return;
        }
        deliver.accept(batch);
        stream.next++;
        releaseConsecutive(stream, nowMillis);
    }

    /** Skips gaps that have been open longer than the timeout. */
    synchronized void expire(long nowMillis) {
        for (Stream stream : streams.values()) {
            while (!stream.held.isEmpty() && nowMillis - stream.gapSince >= gapTimeoutMillis) {
                long first = stream.held.firstKey();
                outOfSequence.accept("lost", first - stream.next);
                stream.next = first;
                releaseConsecutive(stream, nowMillis);
            }
        }
    }

    /** The origin left the cluster: nothing more will fill its gaps. */
    synchronized void originLeft(String origin) {
        Stream stream = streams.remove(origin);
        if (stream != null) {
            releaseAll(stream);
        }
    }

    /** Batches held back, waiting for a gap to fill. */
    synchronized int heldBatches() {
        return streams.values().stream().mapToInt(s -> s.held.size()).sum();
    }

    private void releaseConsecutive(Stream stream, long nowMillis) {
        MessageBatch nextBatch;
        while ((nextBatch = stream.held.remove(stream.next)) != null) {
            deliver.accept(nextBatch);
            stream.next++;
        }
        stream.gapSince = nowMillis; // the gap, if any remains, is counted from now
    }

    private void releaseAll(Stream stream) {
        List<MessageBatch> rest = new ArrayList<>(stream.held.values());
        stream.held.clear();
        rest.forEach(deliver);
    }
}
