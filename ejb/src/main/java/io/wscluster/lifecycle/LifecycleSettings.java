package io.wscluster.lifecycle;

import org.eclipse.microprofile.config.Config;

/**
 * The node's lifecycle and registration, from MicroProfile Config.
 *
 * @param heartbeatMillis {@code wscluster.registry.heartbeat-ms}: how often this node rewrites its registry
 *     entry; default 1000
 * @param staleAfterMillis {@code wscluster.registry.stale-after-ms}: an entry whose heartbeat is older is
 *     removed even if its node is still in the view; default 5000
 */
public record LifecycleSettings(long heartbeatMillis, long staleAfterMillis) {

    public static LifecycleSettings from(Config config) {
        return new LifecycleSettings(
                config.getOptionalValue("wscluster.registry.heartbeat-ms", Long.class).orElse(1000L),
                config.getOptionalValue("wscluster.registry.stale-after-ms", Long.class).orElse(5000L));
    }
}
