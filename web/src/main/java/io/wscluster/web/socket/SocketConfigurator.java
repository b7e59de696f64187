package io.wscluster.web.socket;

import io.wscluster.web.transport.SocketTransport;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;

/**
 * Creates the endpoint instances itself, each with its connection (see {@link #getEndpointInstance}), and negotiates
 * permessage-deflate (RFC 7692) with clients that ask for it, when {@code wscluster.socket.permessage-deflate}
 * is true. Off by default: each message of 256 bytes or more is then compressed once per node (a fresh
 * context per message, which every client's inflater accepts) and the same bytes go to every such client;
 * worth it for large, repetitive payloads on slow links.
 */
public class SocketConfigurator extends ServerEndpointConfig.Configurator {

    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final SocketEndpoint.Services services;

    SocketConfigurator(SocketEndpoint.Services services) {
        this.services = services;
    }

    /**
     * One endpoint per connection, given the beans it uses (not injected: CDI would take a lock on the whole
     * BeanManager for each) and the connection Tyrus is opening on this thread.
     */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != SocketEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        return endpointClass.cast(new SocketEndpoint(services, SocketTransport.opening()));
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (services.settings().permessageDeflate() && requested.stream().anyMatch(e -> PERMESSAGE_DEFLATE.equals(e.getName()))) {
            return List.of(new PerMessageDeflateExtension());
        }
        return super.getNegotiatedExtensions(installed, requested);
    }
}
