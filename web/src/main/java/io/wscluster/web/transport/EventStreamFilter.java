package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import io.wscluster.web.guard.Handshake;
import io.wscluster.web.guard.HandshakeGuard;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Method;

/**
 * Takes event-stream requests (Server-Sent Events) for one path off an HTTP listener, right after its HTTP
 * codec, as {@link UpgradeFilter} takes WebSocket handshakes: judged by the same {@link HandshakeGuard}
 * (origin, limits per client address, held as an open socket until the stream ends), answered by the
 * application's {@link EventStreams}. A page on an allowed origin may read the stream (CORS, the preflight
 * answered here). Every other request passes on.
 */
final class EventStreamFilter extends BaseFilter {

    private static final Logger LOG = Logger.getLogger(EventStreamFilter.class.getName());

    private final String path;
    private final EventStreams streams;
    private final HandshakeGuard guard;
    private final Executor application;
    private final ScheduledExecutorService timers;

    EventStreamFilter(String path, EventStreams streams, HandshakeGuard guard, Executor application, ScheduledExecutorService timers) {
        this.path = path;
        this.streams = streams;
        this.guard = guard;
        this.application = application;
        this.timers = timers;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof HttpContent content) || !(content.getHttpHeader() instanceof HttpRequestPacket request)
                || !path.equals(request.getRequestURI())) {
            return ctx.getInvokeAction();
        }
        String origin = request.getHeader("Origin");
        if (Method.OPTIONS.equals(request.getMethod())) {
            preflight(ctx, request, origin);
            return ctx.getStopAction();
        }
        if (!Method.GET.equals(request.getMethod())) {
            request.getResponse().setHeader("Allow", "GET, OPTIONS");
            UpgradeFilter.respond(ctx, request, 405, null, ErrorResponses.body("METHOD_NOT_ALLOWED", "an event stream is a GET"), true);
            return ctx.getStopAction();
        }
        HandshakeGuard.Verdict verdict = guard.check(new Handshake(request.getQueryString(), origin, request.getHeader("Host"),
                UpgradeFilter.lines(request, "X-Forwarded-For"), UpgradeFilter.lines(request, "X-Forwarded-Proto"),
                request.getRemoteAddress(), request.isSecure()));
        if (!verdict.admitted()) {
            if (verdict.status() == 429) {
                request.getResponse().setHeader("Retry-After", "1");
            }
            UpgradeFilter.respond(ctx, request, verdict.status(), null, ErrorResponses.body(verdict.code(), verdict.message()), true);
            return ctx.getStopAction();
        }
        StreamConnection connection = new StreamConnection(ctx.getConnection(), request.isSecure(), HttpExit.of(ctx.getFilterChain()),
                origin, timers, () -> guard.release(verdict.client()));
        StreamRequest asked = new StreamRequest(parameters(request.getQueryString()), request.getHeader("Authorization"),
                request.getHeader("Last-Event-ID"), verdict.client());
        try {
            application.execute(() -> {
                try {
                    streams.open(asked, connection);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Opening an event stream failed", e);
                    connection.refuse(500, "INTERNAL", "the stream could not be opened");
                }
            });
        } catch (RejectedExecutionException e) {
            connection.refuse(503, "UNAVAILABLE", "the node is shutting down");
        }
        return ctx.getStopAction();
    }

    /** A page on an allowed origin asks whether it may send a GET with Authorization and Last-Event-ID. */
    private void preflight(FilterChainContext ctx, HttpRequestPacket request, String origin) {
        if (origin == null || !guard.originAllowed(origin, request.getHeader("Host"), request.isSecure() ? "https" : "http")) {
            UpgradeFilter.respond(ctx, request, 403, null, ErrorResponses.body("ORIGIN_REFUSED", "pages from " + origin + " may not connect"), true);
            return;
        }
        var response = request.getResponse();
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Methods", "GET");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Last-Event-ID");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setHeader("Vary", "Origin");
        UpgradeFilter.respond(ctx, request, 204, null, null, true);
    }

    private static Map<String, List<String>> parameters(String query) {
        Map<String, List<String>> parameters = new HashMap<>();
        UpgradeFilter.parameters(query).forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
        return parameters;
    }
}
