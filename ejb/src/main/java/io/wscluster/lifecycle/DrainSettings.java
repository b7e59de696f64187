package io.wscluster.lifecycle;

import org.eclipse.microprofile.config.Config;

/**
 * Draining (taking a node out of service gracefully), from MicroProfile Config.
 *
 * @param waves {@code wscluster.drain.waves}: clients are closed with 1012 in this many waves; default 10
 * @param spreadMillis {@code wscluster.drain.spread-ms}: over this long; default 5000
 * @param deadlineMillis {@code wscluster.drain.deadline-ms}: the node exits then at the latest; default 30000
 * @param onSigterm {@code wscluster.drain.on-sigterm}: SIGTERM drains (a second one exits at once); default true
 */
public record DrainSettings(int waves, long spreadMillis, long deadlineMillis, boolean onSigterm) {

    public static DrainSettings from(Config config) {
        return new DrainSettings(
                config.getOptionalValue("wscluster.drain.waves", Integer.class).orElse(10),
                config.getOptionalValue("wscluster.drain.spread-ms", Long.class).orElse(5000L),
                config.getOptionalValue("wscluster.drain.deadline-ms", Long.class).orElse(30_000L),
                config.getOptionalValue("wscluster.drain.on-sigterm", Boolean.class).orElse(true));
    }
}
