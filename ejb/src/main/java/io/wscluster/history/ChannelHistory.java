package io.wscluster.history;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.message.Message;
import io.wscluster.metrics.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadOnlyMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;

/**
 * Channel streams kept in the cluster: the distributed {@code streams} cache (channel -> {@link
 * ChannelStream}), each stream on two nodes, so the death of any one loses none of it. An append is a
 * compare-and-set of the whole stream at its primary owner ({@link StreamAppend}), so positions are
 * contiguous per channel whichever node publishes, both owners hold the same stream, and an append completes
 * only once both hold the message: what an acknowledged publish promises. A node that is not the primary
 * sends its batch there ({@link PrimaryAppend}); if the primary left meanwhile, it appends from here.
 */
@ApplicationScoped
@Typed(ChannelHistory.class)
public class ChannelHistory implements StreamReader {

    private static final Logger LOG = Logger.getLogger(ChannelHistory.class.getName());
    static final String CACHE = "streams";
    /** An append begins no write after this: a publish refused for time was not stored. */
    private static final long APPEND_MILLIS = 5_000;
    /** By then the last write has answered (the streams cache's remote timeout, and a margin): a backstop, not a race. */
    private static final long TIMEOUT_MILLIS = APPEND_MILLIS + PrimaryAppend.LAST_WRITE_MILLIS + 2_000;
    /** Messages in one append at most: a busy channel's batch stays a modest command. */
    private static final int MAX_BATCH = 500;

    @Inject
    ClusterCaches caches;

    @Inject
    Metrics metrics;

    /** The functional maps over the cache they were made for. */
    private record Maps(Cache<String, ChannelStream> cache, FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite,
            FunctionalMap.ReadOnlyMap<String, ChannelStream> readOnly) {
    }

    private volatile Maps maps;
    private final Map<String, ChannelAppender> appenders = new ConcurrentHashMap<>();

    /**
     * Appends the message to its channel's stream; completes with the message at its position once the
     * stream's owners hold it, or with a {@link MessageRejectedException} (INTERNAL) when they did not
     * confirm in time. {@code onStored} gets the positioned message first, in stream order for this node. Appends to one channel from this node go as group commits: one in flight at a
     * time, the messages that arrive meanwhile together in the next, in the order they came, so a
     * publisher's messages keep their order and a busy channel costs a round trip per batch, not per message.
     */
    public CompletableFuture<Message> append(Message message, ChannelOptions options, Consumer<Message> onStored) {
        if (!caches.hasQuorum()) {
            return CompletableFuture.failedFuture(cutOff());
        }
        Pending pending = new Pending(message, options, onStored, new CompletableFuture<>());
        ChannelAppender[] started = {null};
        appenders.compute(message.channel(), (channel, appender) -> {
            ChannelAppender target = appender != null ? appender : new ChannelAppender(channel);
            if (target.add(pending)) {
                started[0] = target;
            }
            return target;
        });
        if (started[0] != null) {
            started[0].sendNext();
        }
        return pending.done();
    }

    private static MessageRejectedException cutOff() {
        return new MessageRejectedException(ErrorCode.UNAVAILABLE,
                "this node is cut off from the cluster; publish through another node", 1_000);
    }

    private record Pending(Message message, ChannelOptions options, Consumer<Message> onStored, CompletableFuture<Message> done) {
    }

    /** One channel's appends from this node: a queue and at most one append in flight. */
    private final class ChannelAppender {
        private final String channel;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private boolean inFlight;

        ChannelAppender(String channel) {
            this.channel = channel;
        }

        /** @return whether the caller is to send: nothing was in flight */
        synchronized boolean add(Pending pending) {
            queue.add(pending);
            if (inFlight) {
                return false;
            }
            inFlight = true;
            return true;
        }

        synchronized boolean idle() {
            return !inFlight && queue.isEmpty();
        }

        void sendNext() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queue.poll());
                }
            }
            ChannelOptions options = batch.get(0).options();
            List<StoredMessage> messages = batch.stream().map(p -> StoredMessage.of(p.message())).toList();
            CompletableFuture<Appended> sent;
            try {
                Maps current = maps();
                sent = new PrimaryAppend(channel, newEpoch(), messages, options.historySize(), options.historyTtl().toMillis(), APPEND_MILLIS)
                        .appendFrom(current.cache().getAdvancedCache(), current.readWrite());
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.orTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((appended, failure) -> {
                complete(batch, appended, failure);
                boolean more;
                synchronized (this) {
                    more = !queue.isEmpty();
                    inFlight = more;
                }
                if (more) {
                    sendNext();
                } else {
                    appenders.computeIfPresent(channel, (c, appender) -> appender == this && idle() ? null : appender);
                }
            });
        }

        /** Hands the batch's messages on and completes their futures, in stream order. */
        private void complete(List<Pending> batch, Appended appended, Throwable failure) {
            if (failure != null) {
                LOG.log(Level.WARNING, "Could not append " + batch.size() + " messages to the stream of " + channel, failure);
                MessageRejectedException rejected = new MessageRejectedException(ErrorCode.INTERNAL,
                        "the message could not be stored; publish it again");
                batch.forEach(p -> p.done().completeExceptionally(rejected));
                return;
            }
            if (!caches.hasQuorum()) {
                // Appended in a view of this node's own, after the cut: Infinispan retries an append in flight
                // there, on a copy of its own or a new stream that the rest of the cluster will not have. Not
                // acknowledged and not broadcast, the publisher publishes it again elsewhere; nothing is lost.
                LOG.warning(() -> "Appended " + batch.size() + " messages to " + channel + " while cut off from the cluster;"
                        + " refused to their publishers");
                MessageRejectedException rejected = cutOff();
                batch.forEach(p -> p.done().completeExceptionally(rejected));
                return;
            }
            metrics.historyAppended(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                // As stored: a message the stream held already (an idempotent publish repeated) keeps its first content.
                Message positioned = appended.messages().get(i).toMessage(channel, appended.epoch());
                try {
                    pending.onStored().accept(positioned);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Handing on stored message " + positioned.id() + " failed", e);
                }
                pending.done().complete(positioned);
            }
        }
    }

    @Override
    public StreamSlice read(String channel, ReadSince read) {
        try {
            return maps().readOnly().eval(channel, read).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the stream of " + channel, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What this node holds of the streams (as primary or backup owner): streams, messages, bytes of message data. */
    public record Footprint(long streams, long messages, long bytes) {
    }

    private volatile Footprint footprint = new Footprint(0, 0, 0);
    private volatile long footprintAt;

    /** This node's share of the streams, counted at most once a second (metrics read it three times a scrape). */
    public Footprint footprint() {
        long now = System.currentTimeMillis();
        if (now - footprintAt >= 1000 && caches.isRunning()) {
            long streams = 0;
            long messages = 0;
            long bytes = 0;
            Cache<String, ChannelStream> cache = caches.cache(CACHE);
            for (ChannelStream stream : cache.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).values()) {
                streams++;
                messages += stream.messages().size();
                for (StoredMessage message : stream.messages()) {
                    bytes += message.data().length();
                }
            }
            footprint = new Footprint(streams, messages, bytes);
            footprintAt = now;
        }
        return footprint;
    }

    /** The functional maps over the cache (made again after the cache manager was restarted). */
    private Maps maps() {
        Cache<String, ChannelStream> cache = caches.cache(CACHE);
        Maps current = maps;
        if (current == null || current.cache() != cache) {
            FunctionalMapImpl<String, ChannelStream> map = FunctionalMapImpl.create((AdvancedCache<String, ChannelStream>) cache.getAdvancedCache());
            current = new Maps(cache, ReadWriteMapImpl.create(map), ReadOnlyMapImpl.create(map));
            maps = current;
        }
        return current;
    }

    /** Epochs tell a stream's lives apart: when it starts again after it expired, positions start again. */
    private static String newEpoch() {
        return Long.toString(System.currentTimeMillis(), 36) + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }
}
