package io.wscluster.balancer;

import org.eclipse.microprofile.config.Config;

/**
 * Rebalancing, from MicroProfile Config.
 *
 * @param enabled {@code wscluster.rebalance.enabled}; default true
 * @param threshold {@code wscluster.rebalance.threshold}: how far above the READY nodes' mean (0.2 = 20 %, the
 *     default) a node may be before it sheds users
 * @param minExcess {@code wscluster.rebalance.min-excess}: below this many connections above the mean, moving
 *     clients costs more than it evens out; default 50
 * @param maxShare {@code wscluster.rebalance.max-share}: the largest share of its connections a node moves in
 *     one round; default 0.25
 * @param intervalMillis {@code wscluster.rebalance.interval-ms}: how often a node checks itself (plus the
 *     spread); default 5000
 * @param spreadMillis {@code wscluster.rebalance.spread-ms}: over how long a round's closes are spread; default 5000
 * @param waves {@code wscluster.rebalance.waves}: in how many waves; default 10
 */
public record RebalanceSettings(boolean enabled, double threshold, int minExcess, double maxShare, long intervalMillis,
        long spreadMillis, int waves) {

    public static RebalanceSettings from(Config config) {
        return new RebalanceSettings(
                config.getOptionalValue("wscluster.rebalance.enabled", Boolean.class).orElse(true),
                config.getOptionalValue("wscluster.rebalance.threshold", Double.class).orElse(0.2),
                config.getOptionalValue("wscluster.rebalance.min-excess", Integer.class).orElse(50),
                config.getOptionalValue("wscluster.rebalance.max-share", Double.class).orElse(0.25),
                config.getOptionalValue("wscluster.rebalance.interval-ms", Long.class).orElse(5000L),
                config.getOptionalValue("wscluster.rebalance.spread-ms", Long.class).orElse(5000L),
                config.getOptionalValue("wscluster.rebalance.waves", Integer.class).orElse(10));
    }
}
