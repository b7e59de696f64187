package io.wscluster.web.transport;

import org.eclipse.microprofile.config.Config;

/**
 * How the WebSocket transport reads clients, from MicroProfile Config.
 *
 * @param maxFrameBytes {@code wscluster.message.max-bytes}: the largest frame (or fragmented message) payload
 *     a connection that has sent its token may send; a larger message, one frame or fragments, is skipped
 *     unread and answered with MESSAGE_TOO_LARGE, the connection kept; default 65536
 * @param maxFrameBytesBeforeConnect {@code wscluster.socket.max-frame-bytes-before-connect}: the same limit for
 *     a connection that has not yet proven its user (its {@code connect} frame is small); default 16384
 * @param partialFramesBudgetBytes {@code wscluster.socket.partial-frames-budget-bytes}: the most this node
 *     holds for frames still arriving, across all connections; a frame that would go over closes its
 *     connection with 1013; default 67108864 (64 MiB)
 * @param headerTimeoutMillis {@code wscluster.http.header-timeout-ms}: how long any request on the node's
 *     HTTP listeners (a WebSocket handshake or a REST call) may take to send its whole header before its
 *     connection is cut; default 10000
 * @param maxHeaderBytes {@code wscluster.http.max-header-bytes}: the largest request header (request line and
 *     fields) a node reads; a larger one is answered 431 {@code HEADER_TOO_LARGE} and its connection closed.
 *     Default 8000: under the listener's own 8 KiB, where the codec would refuse it with an empty 400 (a value above it has no effect)
 */
public record TransportSettings(int maxFrameBytes, int maxFrameBytesBeforeConnect, long partialFramesBudgetBytes,
        long headerTimeoutMillis, int maxHeaderBytes) {

    public static TransportSettings from(Config config) {
        return new TransportSettings(
                config.getOptionalValue("wscluster.message.max-bytes", Integer.class).orElse(65536),
                config.getOptionalValue("wscluster.socket.max-frame-bytes-before-connect", Integer.class).orElse(16384),
                config.getOptionalValue("wscluster.socket.partial-frames-budget-bytes", Long.class).orElse(64L << 20),
                config.getOptionalValue("wscluster.http.header-timeout-ms", Long.class).orElse(10_000L),
                config.getOptionalValue("wscluster.http.max-header-bytes", Integer.class).orElse(8000));
    }
}
