package io.wscluster.history;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.infinispan.AdvancedCache;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * A batch sent to the node holding the primary copy of its channel's stream and appended there
 * ({@link StreamAppend}, from the local copy): the compare-and-set's read and write are then a local step
 * apart, not a round trip, so a node far from the primary does not lose race after race to nearer ones
 * appending to the same channel. Runs on one of Infinispan's blocking threads; answers within the deadline
 * plus the last write's remote timeout.
 */
public record PrimaryAppend(@ProtoField(1) String channel, @ProtoField(2) String newEpoch, @ProtoField(3) List<StoredMessage> messages,
        @ProtoField(value = 4, defaultValue = "0") int maxSize, @ProtoField(value = 5, defaultValue = "0") long ttlMillis,
        @ProtoField(value = 6, defaultValue = "0") long timeoutMillis) implements Function<EmbeddedCacheManager, Appended> {

    /** The streams cache's remote timeout: a write begun just before the deadline has answered by then. */
    static final long LAST_WRITE_MILLIS = 5_000;

    @Override
    public Appended apply(EmbeddedCacheManager manager) {
        AdvancedCache<String, ChannelStream> cache = manager.<String, ChannelStream>getCache(ChannelHistory.CACHE).getAdvancedCache();
        StreamAppend append = new StreamAppend(cache, ReadWriteMapImpl.create(FunctionalMapImpl.create(cache)), channel, newEpoch,
                messages, maxSize, ttlMillis, timeoutMillis);
        try {
            return append.start(null).get(timeoutMillis + LAST_WRITE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer to the append to " + channel + " in time", e);
        }
    }
}
