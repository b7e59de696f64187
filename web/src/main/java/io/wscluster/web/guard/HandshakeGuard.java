package io.wscluster.web.guard;

import io.wscluster.metrics.Metrics;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Checks every WebSocket handshake on {@code /ws} before Tyrus sees it: a well-formed query (400), an
 * allowed Origin (403; cross-site WebSocket hijacking), and the limits per client address (429). Admitted
 * sockets are read through {@link MaskCheckingUpgradeHandler}, which closes unmasked clients with 1002.
 * Tyrus's own filter is registered after the application's, so this one always runs first.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeGuard extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());

    @Inject
    Metrics metrics;

    private final HandshakeSettings settings = HandshakeSettings.from(ConfigProvider.getConfig());
    private final AddressLimits limits = new AddressLimits(settings.maxConnectionsPerAddress(), settings.maxHandshakesPerSecond());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        String malformed = UriSyntax.queryProblem(request.getQueryString());
        if (malformed != null) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "BAD_REQUEST", malformed);
            return;
        }
        ClientAddress client = ClientAddress.of(request, settings.trustedProxies());
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin, request.getHeader("Host"), client.scheme())) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "ORIGIN_REFUSED", "pages from " + origin + " may not connect");
            return;
        }
        String limited = limits.admit(client.address(), System.currentTimeMillis());
        if (limited != null) {
            LOG.fine(() -> "Refused a handshake: " + limited);
            response.setHeader("Retry-After", "1");
            refuse(response, 429, "RATE_LIMITED", limited);
            return;
        }
        MaskCheckingUpgradeHandler[] upgraded = new MaskCheckingUpgradeHandler[1];
        try {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public <T extends HttpUpgradeHandler> T upgrade(Class<T> type) throws IOException, ServletException {
                    if (type != TyrusHttpUpgradeHandler.class) {
                        return super.upgrade(type);
                    }
                    MaskCheckingUpgradeHandler handler = super.upgrade(MaskCheckingUpgradeHandler.class);
                    handler.onEnd(() -> limits.release(client.address()));
                    upgraded[0] = handler;
                    return type.cast(handler);
                }
            }, response);
        } finally {
            if (upgraded[0] == null) {
                limits.release(client.address()); // Tyrus refused the handshake: nothing stays open
            }
        }
    }

    private void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        metrics.refused(code);
        ErrorResponses.send(response, status, code, message);
    }

    /** The node's own origin (scheme and Host), a configured one, or any when {@code *} is configured; never "null". */
    boolean originAllowed(String origin, String host, String scheme) {
        if (settings.anyOrigin() && !"null".equals(origin) || settings.allowedOrigins().contains(origin)) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            return host != null && uri.getRawAuthority() != null && scheme.equalsIgnoreCase(uri.getScheme())
                    && uri.getRawAuthority().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
