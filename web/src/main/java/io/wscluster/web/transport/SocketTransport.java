package io.wscluster.web.transport;

import io.wscluster.web.guard.HandshakeGuard;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.ssl.SSLBaseFilter;

/**
 * This node's client transports: Tyrus's engine with the application's WebSocket endpoint, and its event
 * streams (Server-Sent Events), reached from Payara's own HTTP listeners (same ports as the rest of the
 * application) through an {@link UpgradeFilter} and an {@link EventStreamFilter} placed right after each
 * listener's HTTP codec. Every request on those listeners also gets a {@link HeaderDeadline} (right before
 * the codec) and a {@link RequestCheck} (right after it). Closing it takes the filters out again (an
 * undeployment).
 */
public final class SocketTransport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SocketTransport.class.getName());

    private final TyrusContainer container;
    private final HeaderDeadline deadlines;
    private final RequestCheck check;
    private final RequestCheck http2Check;
    private final UpgradeFilter filter;
    private final EventStreamFilter streams;
    private final ScheduledFuture<?> sweeps;
    private final List<FilterChain> mounted = new ArrayList<>();
    private InetSocketAddress plain;

    private SocketTransport(TyrusContainer container, HeaderDeadline deadlines, RequestCheck check, RequestCheck http2Check,
            UpgradeFilter filter, EventStreamFilter streams, ScheduledExecutorService timers) {
        this.container = container;
        this.deadlines = deadlines;
        this.check = check;
        this.http2Check = http2Check;
        this.filter = filter;
        this.streams = streams;
        this.sweeps = timers.scheduleWithFixedDelay(deadlines::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Registers {@code endpoint} with a Tyrus engine of its own and puts its upgrade filter on every HTTP
     * listener of this Payara instance, and {@code streams} on {@code streamPath} (Server-Sent Events). The handshakes and the endpoint run on the listeners' threads, each
     * call inside {@code application}: an executor that runs a task on the calling thread with the
     * application's context (its class loader, naming, CDI), as a servlet request would have it.
     * {@code operationsCredential} says whether an {@code Authorization} header carries the operations token
     * (Payara's metrics and OpenAPI document need it).
     *
     * @throws IllegalStateException when no listener could be reached: the node would have no WebSocket
     *     path, which must fail the deployment rather than run without one
     */
    public static SocketTransport start(ServerEndpointConfig endpoint, String streamPath, EventStreams streams, HandshakeGuard guard,
            TransportSettings settings, ScheduledExecutorService timers, ExecutorService executor, Executor application,
            Predicate<String> operationsCredential) throws DeploymentException {
        // Tyrus's own buffer never fills: the scanner passes it no frame larger than the limit.
        TyrusContainer container = new TyrusContainer(Math.max(settings.maxFrameBytes(), settings.maxFrameBytesBeforeConnect()) + 64 * 1024,
                timers, executor);
        container.register(endpoint);
        HeaderDeadline deadlines = new HeaderDeadline(settings.headerTimeoutMillis(), settings.maxHeaderBytes());
        SocketTransport transport = new SocketTransport(container, deadlines, new RequestCheck(deadlines, operationsCredential, false),
                new RequestCheck(deadlines, operationsCredential, true),
                new UpgradeFilter(endpoint.getPath(), container.getWebSocketEngine(), guard, settings, timers, application),
                new EventStreamFilter(streamPath, streams, guard, application, timers), timers);
        try {
            for (PayaraListeners.Listener listener : PayaraListeners.listeners()) {
                if (transport.mount(listener.chain()) && transport.plain == null && !secure(listener.chain())) {
                    InetAddress address = listener.address();
                    transport.plain = new InetSocketAddress(address == null || address.isAnyLocalAddress()
                            ? InetAddress.getLoopbackAddress() : address, listener.port());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            transport.close();
            throw new IllegalStateException("Cannot reach Payara's HTTP listeners to serve " + endpoint.getPath(), e);
        }
        if (transport.mounted.isEmpty()) {
            throw new IllegalStateException("No HTTP listener of this Payara instance has an HTTP codec to serve "
                    + endpoint.getPath() + " after");
        }
        return transport;
    }

    /** Puts the filters on {@code chain}; false if it has no HTTP codec, or has them already. */
    private boolean mount(FilterChain chain) {
        synchronized (chain) {
            int codec = -1;
            for (int i = 0; i < chain.size(); i++) {
                if (chain.get(i) instanceof HttpCodecFilter) {
                    codec = i;
                }
            }
            if (codec >= 0 && !chain.contains(filter)) {
                chain.add(codec + 1, streams);
                chain.add(codec + 1, filter);
                chain.add(codec + 1, check);
                chain.add(codec, deadlines);
                for (int i = 0; i < chain.size(); i++) {
                    if (chain.get(i).getClass().getSimpleName().equals("Http2ServerFilter")) {
                        chain.add(i + 1, http2Check); // requests over HTTP/2 appear only below it
                        break;
                    }
                }
                mounted.add(chain);
                LOG.info(() -> "WebSocket upgrades taken off the listener after its HTTP codec: " + names(chain));
                return true;
            }
            return false;
        }
    }

    private static boolean secure(FilterChain chain) {
        for (Filter f : chain) {
            if (f instanceof SSLBaseFilter) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where this node itself reaches its WebSocket path without TLS: a plain listener's address (the loopback
     * address for a listener on all of them); empty when every listener terminates TLS.
     */
    public Optional<InetSocketAddress> plainAddress() {
        return Optional.ofNullable(plain);
    }

    private static List<String> names(FilterChain chain) {
        List<String> names = new ArrayList<>();
        for (Filter f : chain) {
            names.add(f.getClass().getSimpleName());
        }
        return names;
    }

    /** Bytes of frames still arriving that this node holds for its clients now (see {@link PartialFrames}). */
    public long partialFrameBytes() {
        return filter.partialFrames().held();
    }

    /** The connection whose session is being opened on this thread (for its endpoint), or null. */
    public static WireConnection opening() {
        return UpgradeFilter.opening();
    }

    @Override
    public void close() {
        for (FilterChain chain : mounted) {
            synchronized (chain) {
                chain.remove(filter);
                chain.remove(streams);
                chain.remove(check);
                chain.remove(http2Check);
                chain.remove(deadlines);
            }
        }
        mounted.clear();
        SelectorReads.uninstall();
        sweeps.cancel(false);
        container.stop();
    }
}
