package io.wscluster.publish;

import org.eclipse.microprofile.config.Config;

/**
 * Limits on what may be published, from MicroProfile Config.
 *
 * @param maxBytes {@code wscluster.message.max-bytes}: the largest frame and message data, in UTF-8 bytes;
 *     default 64 KiB
 */
public record PublishSettings(int maxBytes) {

    public static PublishSettings from(Config config) {
        return new PublishSettings(config.getOptionalValue("wscluster.message.max-bytes", Integer.class).orElse(65536));
    }
}
