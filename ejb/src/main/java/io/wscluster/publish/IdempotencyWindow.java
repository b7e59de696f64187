package io.wscluster.publish;

import io.wscluster.cluster.ClusterCaches;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.infinispan.Cache;

/**
 * Idempotency keys of publishes whose channel keeps no stream to check them against (channels without
 * history, and messages to users): the id each key makes ({@code key:<key>}), per target, in the
 * distributed {@code idempotency} cache (two owners, written synchronously) for {@code
 * wscluster.publish.idempotency-window-ms}. On a channel with history the stream itself turns a repeat
 * away, for as long as it holds the first.
 */
@ApplicationScoped
public class IdempotencyWindow {

    static final String CACHE = "idempotency";

    @Inject
    ClusterCaches caches;

    @Inject
    Config config;

    private long windowMillis;

    @PostConstruct
    void init() {
        windowMillis = PublishSettings.from(config).idempotencyWindowMillis();
    }

    /** Whether a publish of {@code messageId} to {@code target} is the first within the window (and now recorded). */
    public CompletionStage<Boolean> first(String target, String messageId) {
        Cache<String, Long> cache = caches.cache(CACHE);
        return cache.putIfAbsentAsync(target + '\n' + messageId, System.currentTimeMillis(), windowMillis, TimeUnit.MILLISECONDS)
                .thenApply(Objects::isNull);
    }
}
