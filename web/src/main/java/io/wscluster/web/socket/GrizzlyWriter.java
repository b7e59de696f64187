package io.wscluster.web.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Writes bytes that are whole WebSocket frames straight onto the client's Grizzly connection, past
 * Payara's servlet output stream. On that path (Tyrus's servlet writer) every write copied the frame into
 * Catalina's and Grizzly's output buffers and ran the HTTP filter chain, which cost more than the socket
 * write itself; here the shared frame bytes are wrapped, not copied, and go to the connection's
 * asynchronous write queue, which the HTTP filters end in anyway. Only for plain connections: a TLS
 * connection needs the filter chain's encryption. The completion comes when the bytes are in the socket,
 * so a client that does not read keeps its write in flight. Closing goes through Tyrus's own writer;
 * {@link #abort} cuts the transport of a client that will not read its close frame.
 */
final class GrizzlyWriter extends Writer {

    private final Connection<?> connection;
    private final org.glassfish.grizzly.Writer<?> queue;
    private final Writer tyrus;

    GrizzlyWriter(Connection<?> connection, Writer tyrus) {
        this.connection = connection;
        this.queue = connection.getTransport().getWriter(false);
        this.tyrus = tyrus;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void write(ByteBuffer frames, CompletionHandler<ByteBuffer> handler) {
        ((org.glassfish.grizzly.Writer) queue).write(connection,
                Buffers.wrap(connection.getMemoryManager(), frames), new EmptyCompletionHandler<WriteResult>() {
                    @Override
                    public void completed(WriteResult result) {
                        handler.completed(frames);
                    }

                    @Override
                    public void failed(Throwable failure) {
                        handler.failed(failure);
                    }

                    @Override
                    public void cancelled() {
                        handler.cancelled();
                    }
                });
    }

    @Override
    public void close() throws IOException {
        tyrus.close();
    }

    /** Closes the connection at once, dropping what it has not written (a graceful close waits for that). */
    void abort() {
        if (connection.isOpen()) {
            connection.terminateSilently();
        }
    }
}
