package io.wscluster.web.socket;

import io.wscluster.hub.FrameSink;
import io.wscluster.hub.OutboundFrame;
import io.wscluster.web.transport.WireConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.spi.CompletionHandler;

/**
 * A client's WebSocket session as the hub's transport. Frames arrive encoded (see {@link OutboundFrame})
 * and go onto the client's connection as they are, several in one write: no per-connection encoding,
 * framing or compression (a permessage-deflate connection gets the frame's shared compressed form).
 */
final class TyrusConnection implements FrameSink {

    private static final Logger LOG = Logger.getLogger(TyrusConnection.class.getName());
    /** How long a client closed by this node has to read its close frame before its transport is cut. */
    private static final long ABORT_AFTER_SECONDS = 5;
    /** Below this a message goes uncompressed even on a permessage-deflate connection (allowed: RSV1 clear). */
    private static final int DEFLATE_FROM_BYTES = 256;

    private final Session session;
    private final WireConnection wire;
    private final boolean deflate;
    private final RemoteEndpoint.Async remote;

    TyrusConnection(Session session, WireConnection wire) {
        this.session = session;
        this.wire = wire;
        this.deflate = session.getNegotiatedExtensions().stream()
                .anyMatch(e -> SocketConfigurator.PERMESSAGE_DEFLATE.equals(e.getName()));
        this.remote = session.getAsyncRemote();
    }

    @Override
    public void ping() {
        try {
            remote.sendPing(ByteBuffer.allocate(0)); // a whole control frame: it never splits a write of ours
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Ping to " + id() + " failed", e);
        }
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        wire.write(wire(frames), new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer result) {
                done.accept(null);
            }

            @Override
            public void failed(Throwable failure) {
                done.accept(failure);
            }

            @Override
            public void cancelled() {
                done.accept(new IOException("write cancelled"));
            }
        });
    }

    /** One buffer holding every frame; a single frame's shared bytes are wrapped, not copied. */
    private ByteBuffer wire(List<OutboundFrame> frames) {
        if (frames.size() == 1) {
            return ByteBuffer.wrap(bytes(frames.get(0)));
        }
        int total = 0;
        for (OutboundFrame frame : frames) {
            total += bytes(frame).length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (OutboundFrame frame : frames) {
            buffer.put(bytes(frame));
        }
        return buffer.flip();
    }

    private byte[] bytes(OutboundFrame frame) {
        return deflate && frame.wire().length >= DEFLATE_FROM_BYTES ? frame.deflatedWire() : frame.wire();
    }

    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close of " + id() + " failed; the peer is already gone", e);
        }
        // A peer that does not read (a slow consumer given up with 4001, or any client with bytes still
        // queued when it is closed) leaves the close frame behind unread bytes, and a graceful close waits
        // for them without end, holding the socket and its buffers. A closed one: no-op.
        wire.abortAfter(ABORT_AFTER_SECONDS);
    }
}
