package io.wscluster.bus;

import org.eclipse.microprofile.config.Config;

/**
 * The message bus, from MicroProfile Config.
 *
 * @param mode {@code wscluster.bus}: {@code auto} (default: clustered when Payara's clustering is on),
 *     {@code cluster} or {@code local}
 * @param flushMicros {@code wscluster.bus.flush-micros}: a batch goes this long after its first message; default 1000
 * @param maxBatchesPerSecond {@code wscluster.bus.max-batches-per-second}: per node; under load batches grow
 *     instead; full batches and high-priority messages go at once; default 200
 * @param maxBatchMessages {@code wscluster.bus.max-batch-messages}: a full batch goes at once; default 500
 * @param maxBatchBytes {@code wscluster.bus.max-batch-bytes}: likewise, in bytes; default 256 KiB
 * @param compressAboveBytes {@code wscluster.bus.compress-above-bytes}: larger batches are deflated between
 *     nodes; 0 never; default 16 KiB
 * @param gapTimeoutMillis {@code wscluster.bus.gap-timeout-ms}: how long a missing batch may hold later ones back; default 2000
 */
public record BusSettings(String mode, long flushMicros, int maxBatchesPerSecond, int maxBatchMessages, int maxBatchBytes,
        int compressAboveBytes, long gapTimeoutMillis) {

    public static BusSettings from(Config config) {
        return new BusSettings(
                config.getOptionalValue("wscluster.bus", String.class).orElse("auto"),
                config.getOptionalValue("wscluster.bus.flush-micros", Long.class).orElse(1000L),
                config.getOptionalValue("wscluster.bus.max-batches-per-second", Integer.class).orElse(200),
                config.getOptionalValue("wscluster.bus.max-batch-messages", Integer.class).orElse(500),
                config.getOptionalValue("wscluster.bus.max-batch-bytes", Integer.class).orElse(256 * 1024),
                config.getOptionalValue("wscluster.bus.compress-above-bytes", Integer.class).orElse(16 * 1024),
                config.getOptionalValue("wscluster.bus.gap-timeout-ms", Long.class).orElse(2000L));
    }
}
