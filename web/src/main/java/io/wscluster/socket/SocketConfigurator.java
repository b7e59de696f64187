package io.wscluster.socket;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;

/**
 * Negotiates permessage-deflate (RFC 7692) with clients that ask for it, when
 * {@code wscluster.socket.permessage-deflate} is true. Off by default: each frame is then compressed
 * once per receiving client, which multiplies with fan-out; worth it for large, repetitive payloads on
 * slow links. Endpoint instances still come from the container (CDI injection keeps working).
 */
public class SocketConfigurator extends ServerEndpointConfig.Configurator {

    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final boolean deflate = ConfigProvider.getConfig()
            .getOptionalValue("wscluster.socket.permessage-deflate", Boolean.class).orElse(false);

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (deflate && requested.stream().anyMatch(e -> PERMESSAGE_DEFLATE.equals(e.getName()))) {
            return List.of(new PerMessageDeflateExtension());
        }
        return super.getNegotiatedExtensions(installed, requested);
    }
}
