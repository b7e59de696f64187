package io.wscluster.web.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.glassfish.grizzly.Connection;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * A client's TCP connection under its WebSocket session, as the session's endpoint sees it: where bytes that
 * are already whole frames are written (Tyrus's own frames and the hub's shared ones, wrapped, not copied),
 * how large a frame the client may send, and how to cut the connection of a client that will not read.
 * A plain connection's bytes go straight to Grizzly's asynchronous write queue; a TLS connection's pass the
 * connection's filter chain, which encrypts them. A write completes when its bytes are in the socket.
 */
public final class WireConnection extends Writer {

    private final ConnectionWrites writes;
    private final FrameScanner scanner;
    private final String client;
    private final ScheduledExecutorService timers;
    private final RequestQueue requests;
    private volatile LongConsumer onSkipped = length -> { };

    WireConnection(Connection<?> connection, boolean secure, FrameScanner scanner, String client, ScheduledExecutorService timers,
            Executor workers) {
        this.writes = new ConnectionWrites(connection, secure);
        this.scanner = scanner;
        this.client = client;
        this.timers = timers;
        this.requests = new RequestQueue(workers);
    }

    /**
     * Handles a request of the client's, called on the thread that read it (the selector's, which must not
     * wait): at once, or, if it {@code mayWait} or an earlier request is still queued, after those on a worker.
     */
    public void handle(Runnable request, boolean mayWait) {
        requests.run(request, mayWait);
    }

    /** Whether the calling thread is the worker handling this client's queued work (else it is the reading thread). */
    public boolean onWorker() {
        return requests.drainingHere();
    }

    /** Whether no earlier work of this client's is queued or running on a worker. */
    boolean nothingQueued() {
        return requests.idle();
    }

    @Override
    public void write(ByteBuffer frames, CompletionHandler<ByteBuffer> handler) {
        writes.write(frames, failure -> {
            if (failure == null) {
                handler.completed(frames);
            } else {
                handler.failed(failure);
            }
        });
    }

    /** Tyrus closes the transport once its close handshake is done: gracefully, after what is queued. */
    @Override
    public void close() throws IOException {
        writes.close();
    }

    /** The client's address (the proxy's word for it where the peer is a trusted proxy). */
    public String client() {
        return client;
    }

    /** The largest frame payload the client may send from now on (its token raised it, say). */
    public void limitFrames(int bytes) {
        scanner.limit(bytes);
    }

    /** The largest frame payload the client may send now. */
    public int frameLimit() {
        return scanner.limit();
    }

    /** What to do when a frame larger than the limit was skipped: answer the client (the connection stays). */
    public void onSkipped(LongConsumer action) {
        this.onSkipped = action;
    }

    void skipped(long length) {
        onSkipped.accept(length);
    }

    /**
     * Cuts the connection {@code seconds} from now if it is still open: a client that does not read leaves
     * our close frame behind unread bytes, and a graceful close waits for them without end.
     */
    public void abortAfter(long seconds) {
        timers.schedule(this::abort, seconds, TimeUnit.SECONDS);
    }

    /** Closes the connection at once, dropping what it has not written. */
    public void abort() {
        writes.abort();
    }
}
