package io.wscluster.hub;

import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.function.Consumer;

/** The transport of one client connection, as the hub writes to it; the web module's WebSocket session implements it. */
public interface FrameSink {

    /** The transport's id for this connection, unique on this node. */
    String id();

    /**
     * Writes whole frames, in order, as one write where the transport can; {@code done} gets null once they
     * are handed to the socket, else the failure. Called with one write in flight at a time.
     */
    void write(List<OutboundFrame> frames, Consumer<Throwable> done);

    /** Sends a WebSocket ping; the client's pong counts as hearing from it. */
    void ping();

    /** Starts the close handshake, if the connection is still open. */
    void close(CloseReason reason);
}
