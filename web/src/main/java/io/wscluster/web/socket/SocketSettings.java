package io.wscluster.web.socket;

import org.eclipse.microprofile.config.Config;

/**
 * The WebSocket endpoint's own settings, from MicroProfile Config (the hub's per-connection limits are in
 * {@link io.wscluster.hub.HubSettings}).
 *
 * @param maxFramesPerSecond {@code wscluster.session.max-frames-per-second}: inbound frames per second per
 *     connection, bursts of as many; 0 disables; default 1000
 * @param permessageDeflate {@code wscluster.socket.permessage-deflate}: negotiate permessage-deflate with
 *     clients that ask; default false
 * @param sseKeepAliveMillis {@code wscluster.sse.keep-alive-ms}: an event stream quiet this long gets a
 *     comment, well inside the proxies' timeouts (HAProxy's are 30 s); default 15000
 */
public record SocketSettings(int maxFramesPerSecond, boolean permessageDeflate, long sseKeepAliveMillis) {

    public static SocketSettings from(Config config) {
        return new SocketSettings(
                config.getOptionalValue("wscluster.session.max-frames-per-second", Integer.class).orElse(1000),
                config.getOptionalValue("wscluster.socket.permessage-deflate", Boolean.class).orElse(false),
                config.getOptionalValue("wscluster.sse.keep-alive-ms", Long.class).orElse(15_000L));
    }
}
