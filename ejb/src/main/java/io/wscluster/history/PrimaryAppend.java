package io.wscluster.history;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;
import org.infinispan.AdvancedCache;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.remoting.transport.Address;

/**
 * A batch sent to the node holding the primary copy of its channel's stream and appended there
 * ({@link StreamAppend}, from the local copy): the compare-and-set's read and write are then a local step
 * apart, not a round trip, so a node far from the primary does not lose race after race to nearer ones
 * appending to the same channel. Runs on one of Infinispan's blocking threads; answers within the deadline
 * plus the last write's remote timeout. {@link #appendFrom} is how a node appends: here when it is the primary,
 * else there, and from here after all when the primary could not be asked (it left, say).
 */
public record PrimaryAppend(@ProtoField(1) String channel, @ProtoField(2) String newEpoch, @ProtoField(3) List<StoredMessage> messages,
        @ProtoField(value = 4, defaultValue = "0") int maxSize, @ProtoField(value = 5, defaultValue = "0") long ttlMillis,
        @ProtoField(value = 6, defaultValue = "0") long timeoutMillis) implements Function<EmbeddedCacheManager, Appended> {

    private static final Logger LOG = Logger.getLogger(PrimaryAppend.class.getName());
    /** The streams cache's remote timeout: a write begun just before the deadline has answered by then. */
    static final long LAST_WRITE_MILLIS = 5_000;

    /** Appends this batch at its stream's primary, from this node (whose cache this is); no write begins after the timeout. */
    CompletableFuture<Appended> appendFrom(AdvancedCache<String, ChannelStream> cache, FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Address primary = cache.getDistributionManager().getCacheTopology()
                .getDistribution(cache.getKeyDataConversion().toStorage(channel)).primary();
        if (primary == null || primary.equals(cache.getCacheManager().getAddress())) {
            return here(cache, readWrite, timeoutMillis);
        }
        CompletableFuture<Appended> answer = new CompletableFuture<>();
        cache.getCacheManager().executor().filterTargets(List.of(primary))
                .timeout(timeoutMillis + LAST_WRITE_MILLIS, TimeUnit.MILLISECONDS)
                .submitConsumer(this, (address, appended, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(appended);
                    }
                }).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    }
                });
        return answer.exceptionallyCompose(failure -> {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (timedOut(failure) || left <= 0) {
                return CompletableFuture.failedFuture(failure);
            }
            // The same batch from here: a message the stream holds already (the primary stored it) keeps its position.
            LOG.fine(() -> "Appending to " + channel + " from here: the primary " + primary + " could not: " + failure);
            return here(cache, readWrite, left);
        });
    }

    /** Whether an append failed for time somewhere: its outcome is not known, or it wrote nothing in time. */
    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof org.infinispan.commons.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Appended> here(AdvancedCache<String, ChannelStream> cache, FunctionalMap.ReadWriteMap<String, ChannelStream> readWrite,
            long millis) {
        return new StreamAppend(cache, readWrite, channel, newEpoch, messages, maxSize, ttlMillis, millis).start();
    }

    @Override
    public Appended apply(EmbeddedCacheManager manager) {
        AdvancedCache<String, ChannelStream> cache = manager.<String, ChannelStream>getCache(ChannelHistory.CACHE).getAdvancedCache();
        try {
            return here(cache, ReadWriteMapImpl.create(FunctionalMapImpl.create(cache)), timeoutMillis)
                    .get(timeoutMillis + LAST_WRITE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer to the append to " + channel + " in time", e);
        }
    }
}
