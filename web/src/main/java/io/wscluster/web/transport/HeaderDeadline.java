package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Gives every HTTP request on a listener a deadline for its header (a slow handshake, or any slowly sent
 * request: a few bytes every few seconds keep the listener's idle timeout from ever firing), and a size:
 * an HTTP/1 header over {@code maxHeaderBytes} is answered 431 in JSON and its connection closed, before the
 * codec would refuse it at its own limit (the listener's 8 KiB) with an empty or HTML 400. Sits just before
 * the listener's HTTP codec: a read that finds no request in progress starts one. The {@link UpgradeFilter},
 * just after the codec, sees each header once it is whole and ends its deadline; {@link #sweep} cuts the
 * connections that are past theirs.
 */
final class HeaderDeadline extends BaseFilter {

    /** A request's header in progress: its deadline, and for HTTP/1 how many bytes came before its end. */
    private static final class Header {
        final long deadline;
        final boolean counted;
        int bytes;
        int endMatched; // how much of CR LF CR LF the last bytes were
        boolean ended;

        Header(long deadline, boolean counted) {
            this.deadline = deadline;
            this.counted = counted;
        }
    }

    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    private final long timeoutMillis;
    private final int maxHeaderBytes;
    private final Map<Connection<?>, Header> pending = new ConcurrentHashMap<>();

    HeaderDeadline(long timeoutMillis, int maxHeaderBytes) {
        this.timeoutMillis = timeoutMillis;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        Header header = pending.get(connection);
        if (header == null && connection.getAttributes().getAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME) == null) {
            header = new Header(System.currentTimeMillis() + timeoutMillis, startsHttp1(ctx.getMessage()));
            pending.put(connection, header);
        }
        if (header != null && header.counted && !header.ended && ctx.getMessage() instanceof Buffer buffer && overflows(header, buffer)) {
            pending.remove(connection);
            byte[] body = ErrorResponses.body("HEADER_TOO_LARGE", "the request's header is over " + maxHeaderBytes + " bytes");
            byte[] head = ("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] response = new byte[head.length + body.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(body, 0, response, head.length, body.length);
            ctx.write(Buffers.wrap(connection.getMemoryManager(), response), new EmptyCompletionHandler<WriteResult>() {
                @Override
                public void completed(WriteResult result) {
                    connection.closeSilently();
                }

                @Override
                public void failed(Throwable error) {
                    connection.closeSilently();
                }
            });
            return ctx.getStopAction();
        }
        return ctx.getInvokeAction();
    }

    /** Whether a request starts as HTTP/1 does (a method in capitals), not as HTTP/2's preface or frames. */
    private static boolean startsHttp1(Object message) {
        if (!(message instanceof Buffer buffer) || !buffer.hasRemaining()) {
            return false;
        }
        byte first = buffer.get(buffer.position());
        return first >= 'A' && first <= 'Z' && !(buffer.remaining() >= 4 && buffer.get(buffer.position()) == 'P'
                && buffer.get(buffer.position() + 1) == 'R' && buffer.get(buffer.position() + 2) == 'I' && buffer.get(buffer.position() + 3) == ' ');
    }

    /** Counts the header's bytes in this read up to its end; whether they went over the limit first. */
    private boolean overflows(Header header, Buffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            byte b = buffer.get(i);
            header.endMatched = b == END[header.endMatched] ? header.endMatched + 1 : b == '\r' ? 1 : 0;
            if (++header.bytes > maxHeaderBytes) {
                return true;
            }
            if (header.endMatched == END.length) {
                header.ended = true;
                return false;
            }
        }
        return false;
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        pending.remove(ctx.getConnection());
        return ctx.getInvokeAction();
    }

    /** The request on this connection has its whole header. */
    void headerComplete(Connection<?> connection) {
        pending.remove(connection);
    }

    /** Cuts every connection whose request header is late; called about once a second. */
    void sweep() {
        long now = System.currentTimeMillis();
        pending.forEach((connection, header) -> {
            if (header.deadline < now && pending.remove(connection, header)) {
                connection.terminateSilently();
            }
        });
    }
}
