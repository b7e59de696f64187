package io.wscluster.hub;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/** The transport of one client connection, as the hub writes to it; the web module's WebSocket session implements it. */
public interface FrameSink {

    /** The transport's id for this connection, unique on this node. */
    String id();

    /** Sends one text frame asynchronously; {@code done} gets null once it is written, else the failure. */
    void send(String frame, Consumer<Throwable> done);

    /** Starts the close handshake, if the connection is still open. */
    void close(CloseReason reason);
}
