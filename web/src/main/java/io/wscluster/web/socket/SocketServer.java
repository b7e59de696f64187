package io.wscluster.web.socket;

import io.wscluster.backend.Backend;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.control.UserControl;
import io.wscluster.hub.Hub;
import io.wscluster.metrics.Metrics;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.publish.MessagePublisher;
import io.wscluster.registry.LocalNode;
import io.wscluster.schedule.Schedulers;
import io.wscluster.security.TokenVerifier;
import io.wscluster.web.guard.HandshakeGuard;
import io.wscluster.web.guard.HandshakeSettings;
import io.wscluster.web.sse.SseStreams;
import io.wscluster.web.transport.SocketTransport;
import io.wscluster.web.transport.TransportSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.config.Config;

/**
 * Serves {@code /ws} from the moment the application starts: the endpoint with the beans every connection
 * uses, its configurator and the handshake guard, on this node's own WebSocket transport
 * ({@link SocketTransport}); taken down again when the application stops.
 */
@ApplicationScoped
public class SocketServer {

    static final String PATH = "/ws";
    static final String SSE_PATH = "/sse";

    @Inject
    Hub hub;

    @Inject
    MessagePublisher publisher;

    @Inject
    ChannelCatalog channels;

    @Inject
    ChannelPresence presence;

    @Inject
    LocalNode node;

    @Inject
    Metrics metrics;

    @Inject
    TokenVerifier tokens;

    @Inject
    UserControl control;

    @Inject
    Schedulers schedulers;

    @Inject
    Backend backend;

    @Inject
    Config config;


    private SocketTransport transport;
    private final WarmupPass warmupPass = WarmupPass.random();

    @Inject
    BeanManager beans;

    /** After the services' own start-up observers (they default to {@code APPLICATION + 500}). */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) @Initialized(ApplicationScoped.class)
            ServletContext context) throws DeploymentException {
        createApplicationBeans();
        // Token deadlines (connect timeout, expiry) have a scheduler of their own: two are set per connection,
        // and on the shared housekeeping scheduler a burst of handshakes queued on its lock.
        SocketSettings settings = SocketSettings.from(config);
        ScheduledExecutorService deadlines = schedulers.create("wscluster-token-deadlines", 1);
        SocketEndpoint.Services services = new SocketEndpoint.Services(hub, publisher, channels, presence, node, metrics, tokens, control,
                backend, deadlines, settings, warmupPass);
        ServerEndpointConfig endpoint = ServerEndpointConfig.Builder.create(SocketEndpoint.class, PATH)
                .configurator(new SocketConfigurator(services)).build();
        // Tyrus reschedules an idle-timeout task per frame on the sessions' scheduler, whatever the timeout.
        transport = SocketTransport.start(endpoint, SSE_PATH,
                new SseStreams(hub, channels, tokens, control, node, backend, deadlines, settings.sseKeepAliveMillis()),
                new HandshakeGuard(HandshakeSettings.from(config), metrics),
                TransportSettings.from(config), new IdleTimeoutSkippingScheduler(schedulers.create("wscluster-tyrus-timers", 1)),
                schedulers.pool("wscluster-tyrus", 2), inApplication(), authorization -> tokens.isAdmin(bearer(authorization)));
        metrics.gauge("wscluster.socket.partial.frame.bytes", "Bytes of client frames still arriving that this node holds",
                transport::partialFrameBytes);
    }

    /**
     * Makes every application-scoped bean of wscluster now, on the deployment's thread: the endpoint runs on
     * Payara's listener threads, which carry no component context, and a bean made there on first use could
     * not read its configuration (Payara's {@code Config} producer asks the current component).
     */
    private void createApplicationBeans() {
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getScope() == ApplicationScoped.class && bean.getBeanClass().getName().startsWith("io.wscluster.")) {
                beans.getReference(bean, Object.class, beans.createCreationalContext(bean)).toString();
            }
        }
    }

    /**
     * Runs each task on the calling thread (a listener's) with the application's class loader as its context
     * loader, as a request thread would have it: the beans exist already ({@link #createApplicationBeans}).
     */
    private static Executor inApplication() {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        return task -> {
            Thread thread = Thread.currentThread();
            ClassLoader listener = thread.getContextClassLoader();
            thread.setContextClassLoader(application);
            try {
                task.run();
            } finally {
                thread.setContextClassLoader(listener);
            }
        };
    }

    /** Where this node's own warm-up clients connect ({@link Warmup}): its plain listener, with their pass; empty without one. */
    Optional<URI> warmupUri() {
        return transport.plainAddress().map(address -> {
            try {
                return new URI("ws", null, address.getAddress().getHostAddress(), address.getPort(), PATH,
                        WarmupPass.PARAMETER + "=" + warmupPass.value(), null);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The warm-up is over: its pass admits nobody any more. */
    void endWarmup() {
        warmupPass.close();
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
    }

    @PreDestroy
    void stop() {
        if (transport != null) {
            transport.close();
        }
    }
}
