package io.wscluster.hub;

import org.eclipse.microprofile.config.Config;

/**
 * Per-connection limits the hub enforces, from MicroProfile Config.
 *
 * @param outboundQueue {@code wscluster.session.outbound-queue}: frames queued for one client before it
 *     counts as a slow consumer and is closed with 4001; default 1024
 * @param idleTimeoutMillis {@code wscluster.session.idle-timeout-ms}: a connection that sends nothing (not
 *     even a ping) for this long is closed with 4002; 0 disables; default 120 s
 * @param maxSubscriptions {@code wscluster.session.max-subscriptions}: channels one connection may
 *     subscribe to; default 100
 */
public record HubSettings(int outboundQueue, long idleTimeoutMillis, int maxSubscriptions) {

    public static HubSettings from(Config config) {
        return new HubSettings(
                config.getOptionalValue("wscluster.session.outbound-queue", Integer.class).orElse(1024),
                config.getOptionalValue("wscluster.session.idle-timeout-ms", Long.class).orElse(120_000L),
                config.getOptionalValue("wscluster.session.max-subscriptions", Integer.class).orElse(100));
    }
}
