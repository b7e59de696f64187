package io.wscluster.web.transport;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.tyrus.spi.Connection;

/**
 * The last filter of an upgraded connection's own filter chain (the listener's transport and TLS filters,
 * then this; no HTTP codec): every read goes through the connection's {@link FrameScanner} and on to
 * Tyrus's read handler, which parses the frames and calls the endpoint. One instance per connection;
 * Grizzly reads a connection on one thread at a time.
 */
final class FrameFilter extends BaseFilter implements FrameScanner.Sink {

    /** How long a client we close has to read its close frame before its connection is cut. */
    static final long ABORT_AFTER_SECONDS = 5;

    private final FrameScanner scanner;
    private final WireConnection wire;
    private final Executor application;
    private volatile Connection tyrus;

    FrameFilter(FrameScanner scanner, WireConnection wire, Executor application) {
        this.scanner = scanner;
        this.wire = wire;
        this.application = application;
    }

    /** Tyrus's side of the connection, once the session is open. */
    void attach(Connection tyrus) {
        this.tyrus = tyrus;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Buffer buffer = ctx.getMessage();
        try {
            if (tyrus != null) { // null: the session never opened; its close is under way
                application.execute(() -> scan(buffer));
            }
        } finally {
            buffer.tryDispose(); // Tyrus copies what it keeps
        }
        return ctx.getStopAction();
    }

    private void scan(Buffer buffer) {
        if (!buffer.isComposite()) {
            scanner.scan(buffer.toByteBuffer(), this);
            return;
        }
        ByteBufferArray array = buffer.toByteBufferArray();
        ByteBuffer[] parts = array.getArray();
        for (int i = 0; i < array.size(); i++) {
            scanner.scan(parts[i], this);
        }
        array.recycle();
    }

    @Override
    public void pass(ByteBuffer bytes) {
        tyrus.getReadHandler().handle(bytes);
    }

    @Override
    public void skipped(long length) {
        wire.skipped(length);
    }

    @Override
    public void close(int code, String reason) {
        tyrus.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        wire.abortAfter(ABORT_AFTER_SECONDS);
    }

    /** The TCP connection ended (either side): the session closes, the budget it held goes back. */
    void ended() {
        scanner.release();
        Connection session = tyrus;
        if (session != null) {
            session.close(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection ended"));
        }
    }
}
