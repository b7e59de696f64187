package io.wscluster.client;

/** How a client reaches a node: a WebSocket, or a Server-Sent Events stream where WebSocket cannot open. */
public enum Transport {
    /** {@code ws://host/ws}: everything over one socket. */
    WEBSOCKET,
    /**
     * {@code http://host/sse} beside the socket URL, with publishing over REST ({@code /api}) with the user's
     * token: for networks whose proxies break WebSocket upgrades. Presence is not offered
     * ({@code NOT_SUPPORTED}); a subscribe or unsubscribe opens the stream again with the new channels.
     */
    SSE
}
