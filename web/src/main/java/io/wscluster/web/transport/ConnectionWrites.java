package io.wscluster.web.transport;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Writes bytes that are ready for the wire onto a client's Grizzly connection: a plain connection's straight
 * to its asynchronous write queue (shared bytes wrapped, not copied), a TLS connection's through its filter
 * chain, which encrypts them. {@code done} gets null once the bytes are in the socket, else the failure.
 */
final class ConnectionWrites {

    private final Connection<?> connection;
    private final boolean secure;
    private final org.glassfish.grizzly.Writer<?> queue;

    ConnectionWrites(Connection<?> connection, boolean secure) {
        this.connection = connection;
        this.secure = secure;
        this.queue = connection.getTransport().getWriter(false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void write(ByteBuffer bytes, Consumer<Throwable> done) {
        EmptyCompletionHandler<WriteResult> handler = new EmptyCompletionHandler<>() {
            @Override
            public void completed(WriteResult result) {
                done.accept(null);
            }

            @Override
            public void failed(Throwable failure) {
                done.accept(failure);
            }

            @Override
            public void cancelled() {
                done.accept(new java.io.IOException("write cancelled"));
            }
        };
        if (secure) {
            ((Connection) connection).write(Buffers.wrap(connection.getMemoryManager(), bytes), handler);
        } else {
            ((org.glassfish.grizzly.Writer) queue).write(connection, Buffers.wrap(connection.getMemoryManager(), bytes), handler);
        }
    }

    /** Closes gracefully, after what is queued. */
    void close() {
        connection.closeSilently();
    }

    /** Closes at once, dropping what is not written. */
    void abort() {
        if (connection.isOpen()) {
            connection.terminateSilently();
        }
    }
}
