package io.wscluster.web.socket;

import io.wscluster.channel.ChannelCatalog;
import io.wscluster.hub.Hub;
import io.wscluster.metrics.Metrics;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.publish.MessagePublisher;
import io.wscluster.registry.LocalNode;
import io.wscluster.schedule.Schedulers;
import io.wscluster.security.TokenVerifier;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;

/**
 * Creates the endpoint instances itself (see {@link #getEndpointInstance}) and negotiates
 * permessage-deflate (RFC 7692) with clients that ask for it, when {@code wscluster.socket.permessage-deflate}
 * is true. Off by default: each message of 256 bytes or more is then compressed once per node (a fresh
 * context per message, which every client's inflater accepts) and the same bytes go to every such client;
 * worth it for large, repetitive payloads on slow links.
 */
public class SocketConfigurator extends ServerEndpointConfig.Configurator {

    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final SocketSettings settings = SocketSettings.from(ConfigProvider.getConfig());
    private volatile SocketEndpoint.Services services;

    /**
     * One endpoint per connection, given beans looked up once. Tyrus's CDI provider would inject every
     * instance while holding a lock on the whole BeanManager: under a burst of connections, handshakes
     * queue behind that lock until Grizzly's task queue overflows and refuses connections.
     */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != SocketEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        return endpointClass.cast(new SocketEndpoint(services()));
    }

    /**
     * Resolved once, on the first handshake. The connections' token deadlines (connect timeout, expiry) get
     * a scheduler of their own: two are set per connection, and on the shared housekeeping scheduler a burst
     * of handshakes queued on its lock.
     */
    private SocketEndpoint.Services services() {
        SocketEndpoint.Services resolved = services;
        if (resolved == null) {
            synchronized (this) {
                resolved = services;
                if (resolved == null) {
                    CDI<Object> cdi = CDI.current();
                    resolved = new SocketEndpoint.Services(cdi.select(Hub.class).get(), cdi.select(MessagePublisher.class).get(),
                            cdi.select(ChannelCatalog.class).get(), cdi.select(ChannelPresence.class).get(), cdi.select(LocalNode.class).get(),
                            cdi.select(Metrics.class).get(), cdi.select(TokenVerifier.class).get(),
                            cdi.select(Schedulers.class).get().create("wscluster-token-deadlines", 1), settings, new TyrusWriters());
                    services = resolved;
                }
            }
        }
        return resolved;
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (settings.permessageDeflate() && requested.stream().anyMatch(e -> PERMESSAGE_DEFLATE.equals(e.getName()))) {
            return List.of(new PerMessageDeflateExtension());
        }
        return super.getNegotiatedExtensions(installed, requested);
    }
}
