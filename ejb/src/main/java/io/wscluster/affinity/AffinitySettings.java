package io.wscluster.affinity;

import org.eclipse.microprofile.config.Config;

/**
 * Session affinity, from MicroProfile Config.
 *
 * @param strategy {@code wscluster.affinity.strategy}: how a user without a live affinity gets a node
 *     (round-robin, least-connections, weighted, random, consistent-hash, adaptive); default least-connections
 * @param releasedTtlMillis {@code wscluster.affinity.released-ttl-ms}: how long a released entry is kept
 *     for routing a reconnect back; default 10 minutes
 * @param reconcileMillis {@code wscluster.affinity.reconcile-ms}: how often each node checks the entries of
 *     its users against its connections and repairs them; default 10 s, 0 turns it off
 */
public record AffinitySettings(String strategy, long releasedTtlMillis, long reconcileMillis) {

    public static AffinitySettings from(Config config) {
        return new AffinitySettings(
                config.getOptionalValue("wscluster.affinity.strategy", String.class).orElse("least-connections"),
                config.getOptionalValue("wscluster.affinity.released-ttl-ms", Long.class).orElse(600_000L),
                config.getOptionalValue("wscluster.affinity.reconcile-ms", Long.class).orElse(10_000L));
    }
}
