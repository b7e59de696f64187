package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import io.wscluster.web.guard.UriSyntax;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Protocol;

/**
 * The first look at every request on a listener, right after its HTTP codec: the request's header is
 * whole (its {@link HeaderDeadline} ends); a path the container would mishandle is refused here in JSON
 * (malformed percent-encoding, which Payara's connector answered with an empty 200 before any application
 * code ran, or an encoded NUL, an empty 400); and Payara's own metrics and OpenAPI document, which no
 * application filter guards, need the operations credential. Health stays open: platforms probe it.
 * Requests over HTTP/2 (an h2c upgrade, prior knowledge) are decoded further down the chain, by Grizzly's
 * HTTP/2 filter: a second instance right after that filter checks those ({@code http2Only}).
 */
final class RequestCheck extends BaseFilter {

    /** Payara's endpoints that tell an attacker about the node, by their path's first segment. */
    private static final Set<String> OPERATIONS = Set.of("metrics", "openapi");

    private final HeaderDeadline deadlines;
    private final Predicate<String> operationsCredential;
    private final boolean http2Only;

    /**
     * @param operationsCredential whether an {@code Authorization} header's value carries the operations token
     * @param http2Only whether only HTTP/2 requests are checked (the instance after the HTTP/2 filter)
     */
    RequestCheck(HeaderDeadline deadlines, Predicate<String> operationsCredential, boolean http2Only) {
        this.deadlines = deadlines;
        this.operationsCredential = operationsCredential;
        this.http2Only = http2Only;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpRequestPacket request
                && (!http2Only || request.getProtocol() == Protocol.HTTP_2_0)) {
            deadlines.headerComplete(ctx.getConnection());
            String malformed = UriSyntax.pathProblem(request.getRequestURI());
            if (malformed != null) {
                UpgradeFilter.respond(ctx, request, 400, null, ErrorResponses.body("BAD_REQUEST", malformed), true);
                return ctx.getStopAction();
            }
            if (OPERATIONS.contains(firstSegment(request.getRequestURI())) && !operationsCredential.test(request.getHeader("Authorization"))) {
                request.getResponse().setHeader("WWW-Authenticate", "Bearer");
                UpgradeFilter.respond(ctx, request, 401, null, ErrorResponses.body("UNAUTHORIZED",
                        "the node's metrics and OpenAPI document need Authorization: Bearer with the operations token"), true);
                return ctx.getStopAction();
            }
        }
        return ctx.getInvokeAction();
    }

    /**
     * The first segment of the path as the container will see it: decoded, dot segments, repeated slashes and
     * path parameters ({@code ;x=y}) gone.
     */
    static String firstSegment(String rawPath) {
        String path;
        try {
            // Collapsed first: "//metrics" would parse as an authority with an empty path.
            path = URI.create(rawPath.replaceAll("/{2,}", "/")).normalize().getPath();
        } catch (IllegalArgumentException e) {
            return "";
        }
        if (path == null) {
            return "";
        }
        for (String parameterised : path.split("/")) {
            String segment = parameterised.split(";", 2)[0];
            if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
                return segment.toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
