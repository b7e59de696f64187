package io.wscluster.web.guard;

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

/**
 * Who may call what under {@code /api}, decided before JAX-RS: publishing, user messages, history and
 * presence are the server API (an API key from {@code wscluster.api.keys}, or a token with the server
 * role); everything else (registry, affinity, channel listing, metrics history, scale advice, drain) is
 * operations (the {@code wscluster.admin.token}; closed when none is set). Credentials come as
 * {@code Authorization: Bearer ...}. A malformed query is refused here too.
 */
@WebFilter(urlPatterns = "/api/*")
public class AccessFilter extends HttpFilter {

    /** Paths of the server API, below /api. */
    private static final Pattern SERVER_API = Pattern.compile(
            "/(channels/[^/]+(/(messages|history|presence))?|users/[^/]+/(messages|disconnect|unsubscribe|subscribe|refresh)"
                    + "|publish/batch|broadcast)/?");

    @Inject
    TokenVerifier tokens;

    @Inject
    Metrics metrics;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String malformed = UriSyntax.queryProblem(request.getQueryString()); // the path: RequestCheck, below the container
        if (malformed != null) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "BAD_REQUEST", malformed);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/api".length());
        String bearer = bearer(request.getHeader("Authorization"));
        if (SERVER_API.matcher(path).matches()) {
            if (!tokens.isServer(bearer)) {
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
