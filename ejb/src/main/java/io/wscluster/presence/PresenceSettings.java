package io.wscluster.presence;

import org.eclipse.microprofile.config.Config;

/**
 * Presence settings.
 *
 * @param maxPerChannel connections a channel's presence lists at most ({@code wscluster.presence.max-per-channel},
 *     default 1,000); beyond it, subscribers are not listed and the presence says it is incomplete
 * @param reconcileMillis how often each node renews its own entries in the cache and repairs its mirror of
 *     the cache ({@code wscluster.presence.reconcile-ms}, default 30,000; 0 turns it off). Entries are
 *     leases: one not renewed for three periods expires on every node, so an entry no node owns any more
 *     (a leave lost in a view change or a merge, on whichever copy) is gone after at most that
 */
public record PresenceSettings(int maxPerChannel, long reconcileMillis) {

    /** How long an entry lives after its last renewal; negative (for ever) without reconciliation. */
    public long leaseMillis() {
        return reconcileMillis > 0 ? 3 * reconcileMillis : -1;
    }

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
