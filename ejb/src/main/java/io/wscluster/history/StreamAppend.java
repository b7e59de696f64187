package io.wscluster.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.marshall.core.MarshallableFunctions;

/**
 * One batch appended to a channel's stream by compare-and-set of the whole stream: this node computes the
 * next stream from the current one and the primary owner takes it only if it still holds that current one.
 * Infinispan then sends the backup owner the resulting stream, not the operation, so both copies are equal
 * and every position is given once, by whoever won the race; a functional append run on each owner (what
 * this replaces) let copies that had drifted apart during a membership change give one position twice. A
 * lost race reads the stream again from its primary and computes again; a message the stream holds already
 * (by id: this batch, retried after a topology change) keeps its position. No write begins after the
 * deadline: an append that failed for time stored nothing (over a slow link a far node can lose race after
 * race to nearer ones, and a write after its publisher was refused would deliver a message it publishes again).
 */
final class StreamAppend {

    private final AdvancedCache<String, ChannelStream> cache;
    private final FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite;
    private final String channel;
    private final String newEpoch;
    private final List<StoredMessage> messages;
    private final int maxSize;
    private final long ttlMillis;
    private final long deadline;
    private final CompletableFuture<Appended> done = new CompletableFuture<>();
    private int races;

    StreamAppend(AdvancedCache<String, ChannelStream> cache, FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite,
            String channel, String newEpoch, List<StoredMessage> messages, int maxSize, long ttlMillis, long timeoutMillis) {
        this.cache = cache;
        this.readWrite = readWrite;
        this.channel = channel;
        this.newEpoch = newEpoch;
        this.messages = messages;
        this.maxSize = maxSize;
        this.ttlMillis = ttlMillis;
        this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Starts from this node's own copy when it holds one (no round trip before the write), else from the primary's. */
    CompletableFuture<Appended> start() {
        Object storedKey = cache.getKeyDataConversion().toStorage(channel);
        if (cache.getDistributionManager().getCacheTopology().getDistribution(storedKey).isReadOwner()) {
            attempt(cache.withFlags(Flag.CACHE_MODE_LOCAL).get(channel));
        } else {
            readPrimaryThenAttempt();
        }
        return done;
    }

    private void attempt(ChannelStream current) {
        if (System.nanoTime() - deadline > 0) {
            done.completeExceptionally(new TimeoutException("lost " + races + " races to append to " + channel));
            return;
        }
        ChannelStream base = current != null ? current : new ChannelStream(newEpoch, 0, List.of());
        List<StoredMessage> placed = new ArrayList<>(messages.size());
        ChannelStream next = base.append(messages, maxSize, System.currentTimeMillis() - ttlMillis, placed);
        if (current != null && next.offset() == current.offset()) {
            done.complete(new Appended(current.epoch(), placed)); // all held already
            return;
        }
        CompletionStage<Boolean> write;
        try {
            write = current == null
                    ? cache.putIfAbsentAsync(channel, next, ttlMillis, TimeUnit.MILLISECONDS).thenApply(previous -> previous == null)
                    : cache.replaceAsync(channel, current, next, ttlMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        write.whenComplete((won, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (won) {
                done.complete(new Appended(next.epoch(), placed));
            } else {
                races++;
                readPrimaryThenAttempt();
            }
        });
    }

    /** The primary's copy, read under its lock: a backup's or this node's own may be a write behind. */
    private void readPrimaryThenAttempt() {
        try {
            readWrite.eval(channel, MarshallableFunctions.<String, ChannelStream>returnReadWriteFind())
                    .whenComplete((Optional<ChannelStream> current, Throwable failure) -> {
                        if (failure != null) {
                            done.completeExceptionally(failure);
                        } else {
                            attempt(current.orElse(null));
                        }
                    });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
