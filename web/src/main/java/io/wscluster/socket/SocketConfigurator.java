package io.wscluster.socket;

import io.wscluster.broadcast.MessagePublisher;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.ops.NodeMetrics;
import io.wscluster.registry.NodeRegistry;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;

/**
 * Negotiates permessage-deflate (RFC 7692) with clients that ask for it, when
 * {@code wscluster.socket.permessage-deflate} is true. Off by default: each frame is then compressed
 * once per receiving client, which multiplies with fan-out; worth it for large, repetitive payloads on
 * slow links. Creates the endpoint instances itself (see {@link #getEndpointInstance}).
 */
public class SocketConfigurator extends ServerEndpointConfig.Configurator {

    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final boolean deflate = ConfigProvider.getConfig()
            .getOptionalValue("wscluster.socket.permessage-deflate", Boolean.class).orElse(false);

    private volatile SocketEndpoint.Services services;

    /**
     * One endpoint per connection, given beans looked up once. Tyrus's CDI provider would inject every
     * instance while holding a lock on the whole BeanManager: under a burst of connections (a failover,
     * a load test) handshakes queued behind that lock until Grizzly's 4,096-task queue overflowed and
     * refused connections, which came back as retries.
     */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != SocketEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        return endpointClass.cast(new SocketEndpoint(services()));
    }

    private SocketEndpoint.Services services() {
        SocketEndpoint.Services resolved = services;
        if (resolved == null) {
            CDI<Object> cdi = CDI.current();
            resolved = new SocketEndpoint.Services(cdi.select(ConnectionRegistry.class).get(),
                    cdi.select(MessagePublisher.class).get(), cdi.select(ChannelCatalog.class).get(),
                    cdi.select(SocketSettings.class).get(), cdi.select(NodeRegistry.class).get(),
                    cdi.select(NodeMetrics.class).get(), cdi.select(SessionTimers.class).get());
            services = resolved; // a race only resolves the same client proxies twice
        }
        return resolved;
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (deflate && requested.stream().anyMatch(e -> PERMESSAGE_DEFLATE.equals(e.getName()))) {
            return List.of(new PerMessageDeflateExtension());
        }
        return super.getNegotiatedExtensions(installed, requested);
    }
}
