package io.wscluster.web.transport;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
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
 * its reads are handled one at a time, in order (on the selector thread, or queued for a worker).
 */
final class FrameFilter extends BaseFilter implements FrameScanner.Sink {

    /** How long a client we close has to read its close frame before its connection is cut. */
    static final long ABORT_AFTER_SECONDS = 5;
    /** The largest read handled on the selector thread: a few dozen small frames at most. */
    static final int SELECTOR_READ_BYTES = 2_048;

    private final FrameScanner scanner;
    private final WireConnection wire;
    private final Executor application;
    private final AtomicInteger queuedBytes = new AtomicInteger();
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

    /**
     * On the selector thread ({@link SelectorReads}): a small read (a ping, a connect, a subscribe) is handled
     * here; a larger one, a flood of frames or a large message, goes to a worker, so that the selector goes
     * on flushing writes meanwhile, this client's replies among them. So does a read that comes while earlier
     * work of the client's is queued. Past twice the client's frame limit of its reads waiting so, the
     * client is not read meanwhile: what the node holds of a client's unread frames stays bounded.
     */
    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Buffer buffer = ctx.getMessage();
        if (tyrus == null) { // the session never opened; its close is under way
            buffer.tryDispose();
            return ctx.getStopAction();
        }
        int bytes = buffer.remaining();
        if (bytes <= SELECTOR_READ_BYTES && wire.nothingQueued()) {
            application.execute(() -> scan(buffer));
            return ctx.getStopAction();
        }
        // Past twice its frame limit, the client is not read again until this read is handled (the read
        // interest stays off while the context is suspended): its bytes wait in its socket, not in the node.
        boolean pause = queuedBytes.addAndGet(bytes) > 2L * Math.max(scanner.limit(), SELECTOR_READ_BYTES);
        if (pause) {
            ctx.suspend();
        }
        wire.handle(() -> {
            try {
                application.execute(() -> scan(buffer));
            } finally {
                queuedBytes.addAndGet(-bytes);
                if (pause) {
                    ctx.resume(ctx.getStopAction());
                }
            }
        }, true);
        return pause ? ctx.getSuspendAction() : ctx.getStopAction();
    }

    /** Hands the read's frames to Tyrus, which copies what it keeps. */
    private void scan(Buffer buffer) {
        try {
            scanAll(buffer);
        } finally {
            buffer.tryDispose();
        }
    }

    private void scanAll(Buffer buffer) {
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
