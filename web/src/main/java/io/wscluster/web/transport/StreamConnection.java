package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * A client's connection answering an event-stream request: refused in JSON, or started as a
 * {@code text/event-stream} body that lasts until the connection closes (no length, no chunks: the bytes
 * written are the stream), after which the connection leaves the listener's HTTP filters for a chain of its
 * own that ignores what the client sends. Writes complete when the bytes are in the socket.
 */
public final class StreamConnection {

    private final Connection<?> connection;
    private final HttpExit exit;
    private final String origin;
    private final ConnectionWrites writes;
    private final ScheduledExecutorService timers;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final Runnable released;

    StreamConnection(Connection<?> connection, boolean secure, HttpExit exit, String origin,
            ScheduledExecutorService timers, Runnable released) {
        this.connection = connection;
        this.exit = exit;
        this.origin = origin;
        this.writes = new ConnectionWrites(connection, secure);
        this.timers = timers;
        this.released = released;
    }

    /**
     * Refuses the request with a JSON body {@code {"code","message"}}; the connection closes. Once only: a
     * started stream cannot be refused. Written as bytes, like the stream's head: the answer may come from
     * another thread (the backend's decision) when the listener's request context is long recycled.
     */
    public void refuse(int status, String code, String message) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        released.run();
        byte[] body = ErrorResponses.body(code, message);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(HttpStatus.getHttpStatus(status).getReasonPhrase())
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length)
                .append("\r\nConnection: close\r\n");
        if (status == 401) {
            head.append("WWW-Authenticate: Bearer\r\n");
        } else if (status == 429 || status == 503) {
            head.append("Retry-After: 1\r\n");
        }
        allowOrigin(head);
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer response = ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
        writes.write(response, failure -> writes.close());
    }

    /**
     * Answers 200 with the event stream's headers; from then on {@link #write} sends events. {@code ended}
     * runs once when the connection ends, whichever side ends it. The head is written here, not by the
     * listener's HTTP filter, which would announce a chunked body (its chunking is the listener's setting,
     * not the response's) that the raw events then break.
     */
    public void start(Runnable ended) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("already answered");
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("X-Accel-Buffering: no\r\n") // proxies that buffer responses must not buffer this one
                .append("Connection: close\r\n"); // the body lasts until the connection closes
        allowOrigin(head);
        exit.leave(connection, new DiscardFilter());
        writes.write(ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1)), failure -> { });
        connection.addCloseListener((closed, type) -> {
            released.run();
            ended.run();
        });
    }

    private void allowOrigin(StringBuilder head) {
        if (origin != null) {
            // The guard admitted this origin: its page may read the answer (CORS).
            head.append("Access-Control-Allow-Origin: ").append(origin.replaceAll("[\\x00-\\x1f\\x7f]", "")).append("\r\nVary: Origin\r\n");
        }
    }

    /** Writes bytes of the stream; {@code done} gets null once they are in the socket, else the failure. */
    public void write(ByteBuffer bytes, Consumer<Throwable> done) {
        writes.write(bytes, done);
    }

    /** Ends the stream after what is queued; cuts it {@code abortAfterSeconds} later if the client has not read that far. */
    public void close(long abortAfterSeconds) {
        writes.close();
        timers.schedule(writes::abort, abortAfterSeconds, TimeUnit.SECONDS);
    }
}
