package io.wscluster.web.transport;

import io.wscluster.web.container.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * The way out of one listener's HTTP filters, for connections that carry WebSocket frames or an event stream
 * for the rest of their life: what they keep of the listener's chain and what must let go of them.
 */
final class HttpExit {

    private static final Logger LOG = Logger.getLogger(HttpExit.class.getName());
    private static final Member ACTIVE_CONNECTIONS = Member.field("activeConnections");
    /** One exit per listener chain, shared by every filter that takes connections off it. */
    private static final Map<FilterChain, HttpExit> EXITS = new ConcurrentHashMap<>();

    private final List<Filter> kept;
    private final boolean idleTimeout;
    /** Payara's HTTP/2 filter's set of the connections it accepted; null when the listener has none or it cannot be read. */
    private final Collection<?> http2Accepted;

    private HttpExit(List<Filter> kept, Collection<?> http2Accepted) {
        this.kept = kept;
        this.idleTimeout = kept.stream().anyMatch(IdleTimeoutFilter.class::isInstance);
        this.http2Accepted = http2Accepted;
    }

    /** The exit from {@code chain}, a listener's chain with an HTTP codec; worked out on its first use. */
    static HttpExit of(FilterChain chain) {
        return EXITS.computeIfAbsent(chain, c -> new HttpExit(filtersBelowCodec(c), http2Accepted(c)));
    }

    /**
     * Moves a connection off the listener's HTTP filters onto those below its codec and {@code top}; every
     * way out of HTTP passes here, so none can forget what the HTTP filters would have let go at close.
     */
    void leave(Connection<?> connection, Filter top) {
        if (idleTimeout) {
            // The listener's keep-alive timeout is for HTTP (and counts only writes through the chain, which
            // these are not); the hub's idle sweep and failed writes judge these connections.
            IdleTimeoutFilter.setCustomTimeout(connection, -1, TimeUnit.SECONDS);
        }
        if (http2Accepted != null) {
            // Payara's HTTP/2 filter drops a connection from its set when the close passes it, which this
            // connection's close no longer does: left there, every connection ever upgraded stayed in memory.
            // The set is a plain HashSet that the listener's own threads change unsynchronized; so does this.
            http2Accepted.remove(connection);
        }
        connection.setProcessor(FilterChainBuilder.stateless().addAll(kept).add(top).build());
        SelectorReads.leftHttp(connection);
        // The codec keeps an upgraded request (headers, parse buffers) as the one whose content is still
        // coming, for the connection's life; this connection never passes the codec again.
        connection.getAttributes().removeAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
    }

    /** The listener's transport, TLS and idle-timeout filters: what lies below its HTTP codec, but for HTTP's header deadline. */
    private static List<Filter> filtersBelowCodec(FilterChain chain) {
        List<Filter> kept = new ArrayList<>();
        for (Filter filter : chain) {
            if (filter instanceof HttpCodecFilter) {
                return List.copyOf(kept);
            }
            if (!(filter instanceof HeaderDeadline)) {
                kept.add(filter);
            }
        }
        throw new IllegalStateException("no HTTP codec in " + chain);
    }

    private static Collection<?> http2Accepted(FilterChain chain) {
        for (Filter filter : chain) {
            if (filter.getClass().getSimpleName().equals("Http2ServerFilter")) {
                try {
                    if (ACTIVE_CONNECTIONS.read(filter) instanceof Collection<?> accepted) {
                        return accepted;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.log(Level.WARNING, "Cannot take upgraded connections off Payara's HTTP/2 filter; each will stay in memory", e);
                    return null;
                }
            }
        }
        return null;
    }
}
