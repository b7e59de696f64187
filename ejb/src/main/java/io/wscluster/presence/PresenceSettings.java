package io.wscluster.presence;

import org.eclipse.microprofile.config.Config;

/**
 * Presence settings.
 *
 * @param maxPerChannel connections a channel's presence lists at most ({@code wscluster.presence.max-per-channel},
 *     default 1,000); beyond it, subscribers are not listed and the presence says it is incomplete
 */
public record PresenceSettings(int maxPerChannel) {

    public static PresenceSettings from(Config config) {
        int max = config.getOptionalValue("wscluster.presence.max-per-channel", Integer.class).orElse(1000);
        if (max < 1) {
            throw new IllegalArgumentException("wscluster.presence.max-per-channel must be at least 1, not " + max);
        }
        return new PresenceSettings(max);
    }
}
