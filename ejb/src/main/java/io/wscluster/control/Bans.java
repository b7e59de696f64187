package io.wscluster.control;

import io.wscluster.cluster.ClusterCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;

/**
 * Users refused until a time, cluster-wide: the replicated {@code bans} cache (user id -> until, epoch
 * millis), each entry expiring by itself when its ban ends. A disconnect with {@code banSeconds} writes one;
 * every node checks it when a connection proves its user.
 */
@ApplicationScoped
public class Bans {

    static final String CACHE = "bans";

    @Inject
    ClusterCaches caches;

    /** Refuses the user's connections for {@code seconds} from now, on every node. */
    public void ban(String user, long seconds) {
        long until = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds);
        cache().put(user, until, seconds, TimeUnit.SECONDS);
    }

    /** Until when the user is refused (epoch millis), or 0 when not. A local read: the cache is replicated. */
    public long bannedUntil(String user) {
        if (!caches.isRunning()) {
            return 0;
        }
        Long until = cache().get(user);
        return until == null || until <= System.currentTimeMillis() ? 0 : until;
    }

    private Cache<String, Long> cache() {
        return caches.cache(CACHE);
    }
}
