package io.wscluster.publish;

import org.eclipse.microprofile.config.Config;

/**
 * Limits on what may be published, from MicroProfile Config.
 *
 * @param maxBytes {@code wscluster.message.max-bytes}: the largest frame and message data, in UTF-8 bytes;
 *     default 64 KiB
 * @param idempotencyWindowMillis {@code wscluster.publish.idempotency-window-ms}: how long a publish's
 *     idempotency key turns repeats away on a channel without history or to a user; default 300000 (5 min)
 */
public record PublishSettings(int maxBytes, long idempotencyWindowMillis) {

    public static PublishSettings from(Config config) {
        return new PublishSettings(config.getOptionalValue("wscluster.message.max-bytes", Integer.class).orElse(65536),
                config.getOptionalValue("wscluster.publish.idempotency-window-ms", Long.class).orElse(300_000L));
    }
}
