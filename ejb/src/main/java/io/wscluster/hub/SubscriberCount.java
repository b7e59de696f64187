package io.wscluster.hub;

import io.wscluster.cluster.ClusterCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * A channel's subscribers across the cluster, each node's own count gathered where it is: a {@link Local}
 * runs on every member through Infinispan's cluster executor and asks that node's hub, which this class
 * provides there at start-up. Exact at the moment each node answers, unlike the registry's top channels,
 * which are up to a heartbeat old.
 */
@ApplicationScoped
public class SubscriberCount {

    static final String SERVICE = "wscluster.hub.subscribers";
    private static final long TIMEOUT_MILLIS = 5_000;

    @Inject
    ClusterCaches caches;

    @Inject
    Hub hub;

    void provide(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        caches.provide(SERVICE, (ToIntFunction<String>) hub::localSubscribers);
    }

    /** The sum of every member's count; completes when all have answered, or fails after 5 s. */
    public CompletableFuture<Integer> acrossCluster(String channel) {
        AtomicInteger sum = new AtomicInteger();
        return caches.executor().timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .submitConsumer(new Local(channel), (address, count, failure) -> {
                    if (failure == null && count != null) {
                        sum.addAndGet(count);
                    }
                })
                .thenApply(done -> sum.get());
    }

    /** One node's count, run there: 0 on a node whose hub has not started. */
    public record Local(@ProtoField(1) String channel) implements Function<EmbeddedCacheManager, Integer> {
        @Override
        public Integer apply(EmbeddedCacheManager manager) {
            ToIntFunction<String> counts = ClusterCaches.provided(manager, SERVICE);
            return counts == null ? 0 : counts.applyAsInt(channel);
        }
    }
}
