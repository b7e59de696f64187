package io.wscluster.presence;

import org.eclipse.microprofile.config.Config;

/**
 * Presence settings.
 *
 * @param maxPerChannel connections a channel's presence lists at most ({@code wscluster.presence.max-per-channel},
 *     default 1,000); beyond it, subscribers are not listed and the presence says it is incomplete
 * @param reconcileMillis how often each node repairs the cache's copy of its own entries and its mirror of
 *     the cache ({@code wscluster.presence.reconcile-ms}, default 30,000; 0 turns it off): writes lost in a
 *     view change or a merge leave no ghost for longer
 */
public record PresenceSettings(int maxPerChannel, long reconcileMillis) {

    public static PresenceSettings from(Config config) {
        int max = config.getOptionalValue("wscluster.presence.max-per-channel", Integer.class).orElse(1000);
        if (max < 1) {
            throw new IllegalArgumentException("wscluster.presence.max-per-channel must be at least 1, not " + max);
        }
        long reconcile = config.getOptionalValue("wscluster.presence.reconcile-ms", Long.class).orElse(30_000L);
        if (reconcile < 0) {
            throw new IllegalArgumentException("wscluster.presence.reconcile-ms must be 0 (off) or more, not " + reconcile);
        }
        return new PresenceSettings(max, reconcile);
    }
}
