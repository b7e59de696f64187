package io.wscluster.web.guard;

import io.wscluster.api.MessageRejectedException;
import io.wscluster.metrics.Metrics;
import io.wscluster.security.TokenVerifier;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Who may call what under {@code /api}, decided before JAX-RS: publishing, user messages, history and
 * presence are the server API (an API key from {@code wscluster.api.keys}, or a token with the server
 * role), except that a user's own token may publish to a channel as that user would from a socket (the
 * channel's rules checked by the resource); everything else (registry, affinity, channel listing, metrics history, scale advice, drain) is
 * operations (the {@code wscluster.admin.token}; closed when none is set). Credentials come as
 * {@code Authorization: Bearer ...}. A malformed query is refused here too.
 */
@WebFilter(urlPatterns = "/api/*")
public class AccessFilter extends HttpFilter {

    /** A client's publish, which a user's own token may make too (the SSE transport's way to publish). */
    private static final Pattern CHANNEL_PUBLISH = Pattern.compile("/channels/[^/]+/messages/?");
    /** The request attribute holding the identity of a user publishing with its own token. */
    public static final String CLIENT_IDENTITY = AccessFilter.class.getName() + ".identity";

    /** Paths of the server API, below /api. */
    private static final Pattern SERVER_API = Pattern.compile(
            "/(channels/[^/]+(/(messages|history|presence))?|users/[^/]+/(messages|disconnect|unsubscribe|subscribe|refresh)"
                    + "|publish/batch|broadcast)/?");

    @Inject
    TokenVerifier tokens;

    @Inject
    Metrics metrics;

    @Inject
    Config config;

    private HandshakeSettings origins;

    @Override
    public void init() {
        origins = HandshakeSettings.from(config);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String malformed = UriSyntax.queryProblem(request.getQueryString()); // the path: RequestCheck, below the container
        if (malformed != null) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "BAD_REQUEST", malformed);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/api".length());
        if (CHANNEL_PUBLISH.matcher(path).matches() && crossOrigin(request, response)) {
            return; // a preflight, answered
        }
        String bearer = bearer(request.getHeader("Authorization"));
        if (SERVER_API.matcher(path).matches()) {
            if (bearer != null && "POST".equals(request.getMethod()) && CHANNEL_PUBLISH.matcher(path).matches() && !tokens.isServer(bearer)) {
                // Not a server credential: a user's token may publish as its user would from a socket, and nothing else.
                try {
                    request.setAttribute(CLIENT_IDENTITY, tokens.verifyClient(bearer));
                } catch (MessageRejectedException e) {
                    refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", e.getMessage());
                    return;
                }
            } else if (!tokens.isServer(bearer)) {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED",
                        "the server API needs Authorization: Bearer with an API key or a token with the server role");
                return;
            }
        } else if (tokens.settings().adminToken().isEmpty()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "PERMISSION_DENIED",
                    "operations endpoints are closed: no wscluster.admin.token is configured");
            return;
        } else if (!tokens.isAdmin(bearer)) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", "operations endpoints need Authorization: Bearer with the admin token");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * A page on an origin the sockets admit may publish with its user's token from the browser (CORS): the
     * preflight is answered here (true), the publish itself gets the allowing header.
     */
    private boolean crossOrigin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        if (origin == null || !origins.allowsOrigin(origin, request.getHeader("Host"), request.getScheme())) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Vary", "Origin");
        if (!"OPTIONS".equals(request.getMethod())) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Methods", "POST");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        return true;
    }

    private void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        metrics.refused(code);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        ErrorResponses.send(response, status, code, message);
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
    }
}
