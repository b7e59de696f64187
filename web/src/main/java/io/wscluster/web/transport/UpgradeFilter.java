package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import io.wscluster.web.guard.Handshake;
import io.wscluster.web.guard.HandshakeGuard;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.tyrus.core.RequestContext;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.glassfish.tyrus.core.Utils;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Takes WebSocket handshakes for one path off an HTTP listener, right after its HTTP codec: no servlet,
 * no Catalina request, no CDI, no per-request trace span. A handshake is judged by the {@link HandshakeGuard}
 * (refusals are answered here in JSON), performed by Tyrus's engine, and the connection then leaves the
 * listener's HTTP filters for a chain of its own (the listener's transport and TLS filters, then a
 * {@link FrameFilter}). Every other request passes on to the listener's own filters untouched.
 */
final class UpgradeFilter extends BaseFilter {

    private static final Logger LOG = Logger.getLogger(UpgradeFilter.class.getName());
    private static final ThreadLocal<WireConnection> OPENING = new ThreadLocal<>();
    /** What Tyrus reads of a handshake (RFC 6455, 4.1): it gets only these, not every header the client sent. */
    private static final List<String> HANDSHAKE_HEADERS = List.of("Host", "Origin", "Upgrade", "Connection",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol");

    private final String path;
    private final WebSocketEngine engine;
    private final HandshakeGuard guard;
    private final TransportSettings settings;
    private final PartialFrames budget;
    private final ScheduledExecutorService timers;
    private final Executor application;

    UpgradeFilter(String path, WebSocketEngine engine, HandshakeGuard guard, TransportSettings settings, ScheduledExecutorService timers,
            Executor application) {
        this.path = path;
        this.engine = engine;
        this.guard = guard;
        this.settings = settings;
        this.budget = new PartialFrames(settings.partialFramesBudgetBytes());
        this.timers = timers;
        this.application = application;
    }

    PartialFrames partialFrames() {
        return budget;
    }

    /**
     * The connection whose session Tyrus is opening on this thread, for its endpoint to take: Tyrus makes
     * the endpoint and calls its {@code @OnOpen} inside {@code createConnection}, and offers no other way to
     * hand it something of the connection's own.
     */
    static WireConnection opening() {
        return OPENING.get();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof HttpContent content)) {
            return ctx.getInvokeAction();
        }
        HttpHeader header = content.getHttpHeader();
        if (!header.isRequest() || !"websocket".equalsIgnoreCase(header.getUpgrade())
                || !path.equals(((HttpRequestPacket) header).getRequestURI())) {
            return ctx.getInvokeAction();
        }
        HttpRequestPacket request = (HttpRequestPacket) header;
        application.execute(() -> handshake(ctx, request));
        return ctx.getStopAction();
    }

    private void handshake(FilterChainContext ctx, HttpRequestPacket request) {
        HandshakeGuard.Verdict verdict = guard.check(new Handshake(request.getQueryString(), request.getHeader("Origin"),
                request.getHeader("Host"), lines(request, "X-Forwarded-For"), lines(request, "X-Forwarded-Proto"),
                request.getRemoteAddress(), request.isSecure()));
        if (!verdict.admitted()) {
            refuse(ctx, request, verdict.status(), verdict.code(), verdict.message());
            return;
        }
        boolean opened = false;
        try {
            opened = upgrade(ctx, request, verdict.client());
        } finally {
            if (!opened) {
                guard.release(verdict.client());
            }
        }
    }

    private boolean upgrade(FilterChainContext ctx, HttpRequestPacket request, String client) {
        TyrusUpgradeResponse response = new TyrusUpgradeResponse();
        WebSocketEngine.UpgradeInfo info = engine.upgrade(requestContext(request), response);
        if (info.getStatus() != WebSocketEngine.UpgradeStatus.SUCCESS) {
            // A failed handshake (bad version, key or extension) gets Tyrus's status; the connection closes.
            respond(ctx, request, response.getStatus() == 101 ? 400 : response.getStatus(), response, null, true);
            return false;
        }
        Connection<?> connection = ctx.getConnection();
        respond(ctx, request, 101, response, null, false);
        FrameScanner scanner = new FrameScanner(budget, settings.maxFrameBytesBeforeConnect());
        Executor workers = connection.getTransport().getWorkerThreadPool();
        WireConnection wire = new WireConnection(connection, request.isSecure(), scanner, client, timers,
                task -> workers.execute(() -> application.execute(task)));
        FrameFilter frames = new FrameFilter(scanner, wire, application);
        HttpExit.of(ctx.getFilterChain()).leave(connection, frames);
        connection.addCloseListener((closed, type) -> {
            frames.ended();
            guard.release(client);
        });
        OPENING.set(wire);
        try {
            frames.attach(info.createConnection(wire, reason -> connection.closeSilently()));
        } finally {
            OPENING.remove();
        }
        return true;
    }

    static List<String> lines(HttpRequestPacket request, String name) {
        List<String> lines = new ArrayList<>(1);
        request.getHeaders().values(name).forEach(lines::add);
        return lines;
    }

    private static RequestContext requestContext(HttpRequestPacket request) {
        String query = request.getQueryString();
        RequestContext context = RequestContext.Builder.create()
                .requestURI(URI.create(request.getRequestURI()))
                .queryString(query)
                .parameterMap(parameters(query))
                .secure(request.isSecure())
                .remoteAddr(request.getRemoteAddress())
                .serverAddr(request.getLocalAddress())
                .serverPort(request.getLocalPort())
                .build();
        for (String name : HANDSHAKE_HEADERS) {
            for (String value : request.getHeaders().values(name)) {
                context.getHeaders().computeIfAbsent(name, n -> new ArrayList<>()).addAll(Utils.parseHeaderValue(value.trim()));
            }
        }
        return context;
    }

    /** The query's parameters; the guard has checked its syntax already. */
    static Map<String, String[]> parameters(String query) {
        Map<String, List<String>> values = new HashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> parameters = new HashMap<>();
        values.forEach((name, list) -> parameters.put(name, list.toArray(String[]::new)));
        return parameters;
    }

    private void refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String code, String message) {
        if (status == 429) {
            request.getResponse().setHeader("Retry-After", "1");
        }
        respond(ctx, request, status, null, ErrorResponses.body(code, message), true);
    }

    /**
     * Writes the response to the handshake: Tyrus's headers, or a JSON body; a refusal closes the connection, except
     * over HTTP/2, where it ends only its stream (the connection carries other requests).
     */
    static void respond(FilterChainContext ctx, HttpRequestPacket request, int status, UpgradeResponse tyrus,
            byte[] body, boolean close) {
        HttpResponsePacket response = request.getResponse();
        boolean http2 = request.getProtocol() == Protocol.HTTP_2_0;
        boolean closeConnection = close && !http2;
        if (!http2) {
            response.setProtocol(Protocol.HTTP_1_1);
        }
        response.setStatus(status);
        if (tyrus != null) {
            tyrus.getHeaders().forEach((name, values) -> response.setHeader(name, Utils.getHeaderFromList(values)));
        }
        if (closeConnection) {
            response.setHeader("Connection", "close");
        }
        HttpContent.Builder<?> content = HttpContent.builder(response);
        if (body != null) {
            response.setContentType("application/json");
            response.setContentLength(body.length);
            content.content(Buffers.wrap(ctx.getMemoryManager(), body));
        } else if (close) {
            response.setContentLength(0);
        }
        Connection<?> connection = ctx.getConnection();
        ctx.write(content.last(close).build(), !closeConnection ? null : new EmptyCompletionHandler<WriteResult>() {
            @Override
            public void completed(WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable failure) {
                LOG.log(Level.FINE, "Answering a refused handshake failed", failure);
                connection.closeSilently();
            }
        });
    }
}
