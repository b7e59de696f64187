package io.wscluster.web.transport;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpServerFilter;

/**
 * Gives every HTTP request on a listener a deadline for its header (a slow handshake, or any slowly sent
 * request: a few bytes every few seconds keep the listener's idle timeout from ever firing). Sits just
 * before the listener's HTTP codec: a read that finds no request in progress starts one. The
 * {@link UpgradeFilter}, just after the codec, sees each header once it is whole and ends its deadline;
 * {@link #sweep} cuts the connections that are past theirs.
 */
final class HeaderDeadline extends BaseFilter {

    private final long timeoutMillis;
    private final Map<Connection<?>, Long> pending = new ConcurrentHashMap<>();

    HeaderDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        if (connection.getAttributes().getAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME) == null
                && !pending.containsKey(connection)) {
            pending.put(connection, System.currentTimeMillis() + timeoutMillis);
        }
        return ctx.getInvokeAction();
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
        pending.forEach((connection, deadline) -> {
            if (deadline < now && pending.remove(connection, deadline)) {
                connection.terminateSilently();
            }
        });
    }
}
