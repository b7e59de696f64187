package io.wscluster.history;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.message.Message;
import io.wscluster.metrics.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * ChannelStream}), each stream on two nodes, so the death of any one loses none of it. Appending runs where
 * the stream lives (one round trip to its primary owner, which runs it and has its backup run it too), so
 * positions are contiguous per channel whichever node publishes, and an append returns only once both
 * owners hold the message: what an acknowledged publish promises.
 */
@ApplicationScoped
public class ChannelHistory implements StreamReader {

    private static final Logger LOG = Logger.getLogger(ChannelHistory.class.getName());
    static final String CACHE = "streams";
    private static final long TIMEOUT_MILLIS = 10_000;

    @Inject
    ClusterCaches caches;

    @Inject
    Metrics metrics;

    /** The functional maps over the cache they were made for. */
    private record Maps(Cache<String, ChannelStream> cache, FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite,
            FunctionalMap.ReadOnlyMap<String, ChannelStream> readOnly) {
    }

    private volatile Maps maps;

    /**
     * Appends the message to its channel's stream and returns its position, once the stream's owners hold it.
     *
     * @throws MessageRejectedException with INTERNAL when the stream's owners did not confirm in time
     */
    public StreamPosition append(Message message, ChannelOptions options) {
        Append append = new Append(newEpoch(), StoredMessage.of(message), options.historySize(),
                options.historyTtl().toMillis(), System.currentTimeMillis());
        try {
            StreamPosition position = maps().readWrite().eval(message.channel(), append).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            metrics.historyAppended();
            return position;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not append to the stream of " + message.channel(), e);
            throw new MessageRejectedException(ErrorCode.INTERNAL, "the message could not be stored; publish it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageRejectedException(ErrorCode.INTERNAL, "interrupted while storing the message");
        }
    }

    @Override
    public StreamSlice since(String channel, long since, int limit) {
        return read(channel, new ReadSince(since, limit, false));
    }

    @Override
    public StreamSlice latest(String channel, int limit) {
        return read(channel, new ReadSince(0, limit, true));
    }

    private StreamSlice read(String channel, ReadSince read) {
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
