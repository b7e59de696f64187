package io.wscluster.ops;

import org.eclipse.microprofile.config.Config;

/**
 * The metrics history, from MicroProfile Config.
 *
 * @param intervalMillis {@code wscluster.history.interval-ms}: one snapshot per node this often; default 10 s
 * @param windowMillis {@code wscluster.history.window-ms}: how long snapshots are kept; default 3 h
 */
public record HistorySettings(long intervalMillis, long windowMillis) {

    public static HistorySettings from(Config config) {
        return new HistorySettings(
                config.getOptionalValue("wscluster.history.interval-ms", Long.class).orElse(10_000L),
                config.getOptionalValue("wscluster.history.window-ms", Long.class).orElse(10_800_000L));
    }
}
