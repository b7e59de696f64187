package io.wscluster.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A wscluster client for JVM applications, on the JDK's WebSocket client, or, where WebSocket cannot
 * open, a Server-Sent Events stream ({@link Builder#transports}). It detects dead connections
 * with ping/pong, reconnects with exponential backoff and jitter (trying the next URL each time), and
 * resubscribes to its channels after a reconnect. On channels that keep history it remembers the position
 * of the last message it got and resubscribes from there: what was published while it was away arrives
 * first, each message once, in order; when the server cannot replay it all (the gap exceeded the channel's
 * history, or the stream started again) the {@code onUnrecovered} listener hears of the channel, and the
 * application reloads its state. All state changes run on one thread of its own, so callbacks never race
 * each other; keep them short.
 *
 * <pre>
 * WsclusterClient client = WsclusterClient.builder().urls(List.of(URI.create("ws://127.0.0.1:8080/ws")))
 *         .token(myApp::tokenForAlice).onMessage(m -&gt; System.out.println(m.data())).build();
 * client.connect();
 * client.subscribe("news").join();
 * String id = client.publish("news", "{\"text\":\"hi\"}").join();
 * </pre>
 */
public final class WsclusterClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WsclusterClient.class.getName());
    // Json.createReader and friends look the provider up (a ServiceLoader scan) on every call: 30-80 us
    // each, against 1 us for the parse itself. One lookup serves every client.
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Close codes after which reconnecting cannot help. */
    private static final Set<Integer> FATAL_CLOSES = Set.of(1008, 4003, 4006);
    /** A disconnect by the server API within these is final too (4500-4999: the client reconnects). */
    private static final int FINAL_DISCONNECT_FIRST = 4100;
    private static final int FINAL_DISCONNECT_LAST = 4499;

    private final List<URI> urls;
    private final String user;
    private final Supplier<String> token;
    private final Duration heartbeat;
    private final Duration pongTimeout;
    private final Duration requestTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration streamTimeout;
    private final List<Transport> transports;
    private final Consumer<ClientMessage> onMessage;
    private final Consumer<ClientState> onState;
    private final Consumer<String> onUnrecovered;
    private final BiConsumer<String, Throwable> onResubscribeFailed;
    private final Consumer<MemberEvent> onMember;
    private final Runnable onReady;
    private final Consumer<ServerAct> onServerAct;
    private final HttpClient http;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wscluster-client");
        thread.setDaemon(true);
        return thread;
    });

    // Owned by the loop thread.
    private final Set<String> channels = new LinkedHashSet<>();
    /** Per channel that keeps history: where this client stands in its stream. */
    private final Map<String, Position> positions = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Subscriptions asked for while disconnected: completed by the resubscription on (re)connect. */
    private final Map<String, CompletableFuture<Void>> awaitingOpen = new HashMap<>();
    private long nextId = 1;
    private int urlIndex;
    private int attempt;
    private int transportIndex;
    private Transport lastTransport;
    private WebSocket socket;
    /**
     * The socket's last send: the JDK's WebSocket refuses a send while the one before it is unfinished
     * ("Send pending"), so each request's frame is sent after the one before. On the loop thread.
     */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    /** The open (or opening) event stream, where the transport is SSE; never both it and {@link #socket}. */
    private EventStream stream;
    private ScheduledFuture<?> streamWatch;
    private boolean reopenQueued;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> refreshTask;
    private volatile ClientState state = ClientState.IDLE;
    private volatile boolean closedByUser;

    private record Pending(CompletableFuture<JsonObject> reply, ScheduledFuture<?> timeout) {
    }

    private record Position(String epoch, long offset) {
    }

    private WsclusterClient(Builder b) {
        this.urls = List.copyOf(b.urls);
        this.user = b.user;
        this.token = b.token;
        this.heartbeat = b.heartbeat;
        this.pongTimeout = b.pongTimeout;
        this.requestTimeout = b.requestTimeout;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.streamTimeout = b.streamTimeout;
        this.transports = List.copyOf(b.transports);
        this.onMessage = b.onMessage;
        this.onState = b.onState;
        this.onUnrecovered = b.onUnrecovered;
        this.onResubscribeFailed = b.onResubscribeFailed;
        this.onMember = b.onMember;
        this.onReady = b.onReady;
        this.onServerAct = b.onServerAct;
        this.http = b.http != null ? b.http : HttpClient.newHttpClient();
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClientState state() {
        return state;
    }

    /** The transport of the current connection (or of the next attempt). */
    public Transport transport() {
        return transports.get(transportIndex % transports.size());
    }

    /** Opens the connection; from then on the client keeps it open until {@link #close()}. */
    public synchronized void connect() {
        if (loop.isShutdown()) {
            throw new IllegalStateException("closed");
        }
        closedByUser = false;
        loop.execute(this::open);
    }

    /** Completes once the server confirmed; fails with {@link RequestFailedException}. Remembered for reconnects. */
    public CompletableFuture<Void> subscribe(String channel) {
        return onLoop(() -> {
            channels.add(channel);
            if (transport() == Transport.SSE) {
                return streamSubscribe(channel);
            }
            if (socket == null) {
                return awaitingOpen.computeIfAbsent(channel, c -> new CompletableFuture<>());
            }
            return subscribeRequest(channel).whenComplete((ok, failure) -> {
                if (failure != null) {
                    loop.execute(() -> channels.remove(channel));
                }
            }).thenApply(reply -> (Void) null);
        });
    }

    public CompletableFuture<Void> unsubscribe(String channel) {
        return onLoop(() -> {
            channels.remove(channel);
            positions.remove(channel);
            if (transport() == Transport.SSE) {
                reopenStream();
                return CompletableFuture.completedFuture(null);
            }
            return request(JSON.createObjectBuilder().add("type", "unsubscribe").add("channel", channel), requestTimeout)
                    .thenApply(reply -> (Void) null);
        });
    }

    /** Publishes JSON text; completes with the message id. */
    public CompletableFuture<String> publish(String channel, String jsonData) {
        return publish(channel, jsonData, UUID.randomUUID().toString());
    }

    /**
     * Publishes JSON text at most once per {@code idempotencyKey} ({@link #publish(String, String)} makes one
     * up; null for none): a publish retried after its reply was lost (the node died) is delivered once, and
     * completes with the first's message id.
     */
    public CompletableFuture<String> publish(String channel, String jsonData, String idempotencyKey) {
        return publish(channel, jsonData, new PublishOptions(false, null, idempotencyKey));
    }

    /** Publishes JSON text as {@code options} say (priority, key, idempotency key); completes with the message id. */
    public CompletableFuture<String> publish(String channel, String jsonData, PublishOptions options) {
        JsonValue data = JSON.createReader(new StringReader(jsonData)).readValue();
        return onLoop(() -> {
            var frame = JSON.createObjectBuilder().add("type", "publish").add("channel", channel).add("data", data);
            if (options.idempotencyKey() != null) {
                frame.add("idempotencyKey", options.idempotencyKey());
            }
            if (options.high()) {
                frame.add("priority", "high");
            }
            if (options.key() != null) {
                frame.add("key", options.key());
            }
            if (transport() == Transport.SSE) {
                return publishRest(channel, data, options);
            }
            return request(frame, requestTimeout).thenApply(reply -> reply.getString("messageId"));
        });
    }

    /** Who is subscribed to a channel that tracks presence; fails with {@link RequestFailedException} (e.g. NOT_SUPPORTED). */
    public CompletableFuture<Presence> presence(String channel) {
        return onLoop(() -> request(JSON.createObjectBuilder().add("type", "presence").add("channel", channel), requestTimeout))
                .thenApply(reply -> new Presence(channel, reply.getInt("count"), reply.getInt("users"), reply.getBoolean("complete", true),
                        reply.getJsonArray("members").getValuesAs(JsonObject.class).stream().map(WsclusterClient::member).toList()));
    }

    private static Member member(JsonObject m) {
        return new Member(m.getString("user", null), m.getString("connection", null), m.getString("node", null),
                m.containsKey("since") ? m.getJsonNumber("since").longValue() : 0);
    }

    /** Closes the connection for good; a closed client does not reconnect. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (loop.isShutdown()) {
            return;
        }
        closedByUser = true;
        loop.execute(() -> {
            stopHeartbeat();
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "client closed").exceptionally(e -> null);
            }
            if (stream != null) {
                stream.cancel();
                stream = null;
            }
            setState(ClientState.CLOSED);
            loop.shutdown();
        });
    }

    // --- on the loop thread ---

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> action) {
        return CompletableFuture.supplyAsync(action, loop).thenCompose(f -> f);
    }

    private void open() {
        if (closedByUser) {
            return;
        }
        if (transport() == Transport.SSE) {
            openStream();
            return;
        }
        URI base = urls.get(urlIndex % urls.size());
        // The user, if known, is a routing hint for the balancer; the token proves it.
        String hint = routingUser();
        URI uri = hint == null ? base : URI.create(base + (base.getQuery() == null ? "?" : "&") + "user=" + URLEncoder.encode(hint, StandardCharsets.UTF_8));
        setState(attempt == 0 ? ClientState.CONNECTING : ClientState.RECONNECTING);
        http.newWebSocketBuilder().connectTimeout(requestTimeout).buildAsync(uri, new Listener())
                .whenComplete((opened, failure) -> loop.execute(() -> {
                    if (failure != null) {
                        LOG.log(Level.FINE, "Connecting to " + base + " failed", failure);
                        scheduleReconnect(false);
                    } else {
                        onOpen(opened);
                    }
                }));
    }

    /** The user, or the subject of the current token (read, not verified: the server verifies it); null if neither. */
    private String routingUser() {
        if (user != null || token == null) {
            return user;
        }
        JsonObject claims = claims(token.get());
        return claims == null ? null : claims.getString("sub", null); // no hint: the token still proves who
    }

    /** A JWT's claims, read without verifying; null if it is not a JWT this can read. */
    private static JsonObject claims(String jwt) {
        try {
            byte[] claims = java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            try (var reader = JSON.createReader(new java.io.ByteArrayInputStream(claims))) {
                return reader.readObject();
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void onOpen(WebSocket opened) {
        if (closedByUser) {
            opened.abort();
            return;
        }
        socket = opened;
        lastSend = CompletableFuture.completedFuture(null);
        attempt = 0;
        announceTransport();
        if (token != null) {
            // Frames are handled in order: the subscriptions below act as the user the token proves.
            authenticate("connect");
        }
        setState(ClientState.OPEN);
        startHeartbeat();
        List<CompletableFuture<?>> resubscribed = new ArrayList<>();
        for (String channel : channels) {
            CompletableFuture<Void> caller = awaitingOpen.remove(channel);
            resubscribed.add(subscribeRequest(channel)
                    .whenComplete((reply, failure) -> {
                        if (failure != null && caller == null) {
                            resubscribeFailed(channel, failure instanceof CompletionException ? failure.getCause() : failure);
                        } else if (failure != null) {
                            loop.execute(() -> channels.remove(channel)); // the caller's subscribe fails with it
                        }
                        if (caller != null) {
                            if (failure != null) {
                                caller.completeExceptionally(failure instanceof CompletionException
                                        ? failure.getCause() : failure);
                            } else {
                                caller.complete(null);
                            }
                        }
                    }));
        }
        CompletableFuture.allOf(resubscribed.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
            loop.execute(() -> {
                if (socket == opened) {
                    onReady.run();
                }
            });
            return null;
        });
    }

    /**
     * A remembered channel was not subscribed again after a reconnect. Refused by the server: forgotten, and
     * the application hears of it. Lost with the connection or timed out: kept for the next connection.
     */
    private void resubscribeFailed(String channel, Throwable failure) {
        String code = failure instanceof RequestFailedException r ? r.code() : "";
        if (code.equals("DISCONNECTED") || code.equals("TIMEOUT")) {
            LOG.log(Level.FINE, "Resubscribing to " + channel + " failed; the next connection tries again", failure);
            return;
        }
        loop.execute(() -> {
            channels.remove(channel);
            positions.remove(channel);
            onResubscribeFailed.accept(channel, failure);
        });
    }

    private void onClosed(WebSocket closed, int code) {
        onClosed(closed, code, "");
    }

    private void onClosed(WebSocket closed, int code, String reason) {
        if (closed != socket) {
            return; // one we already gave up on
        }
        socket = null;
        stopHeartbeat();
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        pending.values().forEach(p -> {
            p.timeout().cancel(false);
            p.reply().completeExceptionally(new RequestFailedException("DISCONNECTED", "connection closed (" + code + ")"));
        });
        pending.clear();
        endedFor(code, reason, true);
    }

    /** A connection is gone (closed by the server or the network): reconnect, unless the close was final. */
    private void endedFor(int code, String reason, boolean opened) {
        if (closedByUser) {
            return;
        }
        if (FATAL_CLOSES.contains(code) || code >= FINAL_DISCONNECT_FIRST && code <= FINAL_DISCONNECT_LAST) {
            setState(ClientState.CLOSED);
            onServerAct.accept(new ServerAct("disconnected", null, 0, code, reason));
            return;
        }
        scheduleReconnect(opened);
    }

    /**
     * A connection that worked is retried on the next URL with the same transport; one that never opened,
     * with the next transport on the same URL, and once every transport failed there, on the next URL.
     */
    private void scheduleReconnect(boolean opened) {
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 20));
        long delay = (long) (ceiling * (1 - 0.5 * ThreadLocalRandom.current().nextDouble())); // jitter spreads clients out
        attempt++;
        boolean nextTransport = !opened && transports.size() > 1;
        if (nextTransport) {
            transportIndex++;
        }
        if (!nextTransport || transportIndex % transports.size() == 0) {
            urlIndex++;
        }
        setState(ClientState.RECONNECTING);
        loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    /** Subscribes, from the last position where the channel keeps history; the reply moves the position. */
    private CompletableFuture<JsonObject> subscribeRequest(String channel) {
        JsonObjectBuilder frame = JSON.createObjectBuilder().add("type", "subscribe").add("channel", channel);
        Position since = positions.get(channel);
        if (since != null) {
            frame.add("since", JSON.createObjectBuilder().add("epoch", since.epoch()).add("offset", since.offset()));
        }
        // Runs on the loop thread as the reply is handled, before the frames that follow it.
        return request(frame, requestTimeout).thenApply(reply -> {
            boolean recovered = reply.getBoolean("recovered", true);
            if (reply.containsKey("epoch") && channels.contains(channel) && (since == null || !recovered)) {
                // Where live messages start; a recovered resume is moved on by the replayed messages instead.
                positions.put(channel, new Position(reply.getString("epoch"), reply.getJsonNumber("offset").longValue()));
            }
            if (!recovered) {
                onUnrecovered.accept(channel);
            }
            return reply;
        });
    }

    /** Sends connect (or refresh) with a fresh token; refreshes again a minute before it expires. On the loop. */
    private void authenticate(String type) {
        WebSocket current = socket;
        request(JSON.createObjectBuilder().add("type", type).add("token", token.get()), requestTimeout).whenComplete((reply, failure) -> loop.execute(() -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "The server refused the token (" + type + ")", failure);
            } else if (socket == current && reply.containsKey("expiresAt")) {
                scheduleRefresh(reply.getJsonNumber("expiresAt").longValue());
            }
        }));
    }

    /** Refreshes the token a minute before the connection expires. On the loop. */
    private void scheduleRefresh(long expiresAtMillis) {
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        if (token != null) {
            long in = Math.max(1_000, expiresAtMillis - System.currentTimeMillis() - 60_000);
            refreshTask = loop.schedule(() -> authenticate("refresh"), in, TimeUnit.MILLISECONDS);
        }
    }

    /** A frame the server API sent of its own accord. On the loop. */
    private void onServerAct(JsonObject frame) {
        String type = frame.getString("type", "");
        String channel = frame.getString("channel", null);
        long expiresAt = frame.containsKey("expiresAt") ? frame.getJsonNumber("expiresAt").longValue() : 0;
        if (type.equals("unsubscribed")) {
            channels.remove(channel);
            positions.remove(channel);
        } else if (type.equals("refreshed")) {
            scheduleRefresh(expiresAt);
        }
        onServerAct.accept(new ServerAct(type, channel, expiresAt, 0, null));
    }

    private CompletableFuture<JsonObject> request(JsonObjectBuilder frame, Duration timeout) {
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        if (transport() == Transport.SSE) {
            reply.completeExceptionally(new RequestFailedException("NOT_SUPPORTED", "this needs a WebSocket connection"));
            return reply;
        }
        if (socket == null) {
            reply.completeExceptionally(new RequestFailedException("DISCONNECTED", "not connected"));
            return reply;
        }
        long id = nextId++;
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (pending.remove(id) != null) {
                reply.completeExceptionally(new RequestFailedException("TIMEOUT", "no reply within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(reply, timer));
        WebSocket target = socket;
        String text = frame.add("id", id).build().toString();
        lastSend = lastSend.handle((sent, failure) -> null).thenCompose(previous -> target.sendText(text, true))
                .whenComplete((sent, failure) -> {
                    if (failure != null) {
                        loop.execute(() -> {
                            Pending unsent = pending.remove(id);
                            if (unsent != null) {
                                unsent.timeout().cancel(false);
                                unsent.reply().completeExceptionally(new RequestFailedException("DISCONNECTED", "not sent: " + failure));
                            }
                        });
                    }
                });
        return reply;
    }

    private void onFrame(String text) {
        JsonObject frame = parse(text);
        if (frame != null) {
            onFrame(frame);
        }
    }

    private static JsonObject parse(String text) {
        try {
            return JSON.createReader(new StringReader(text)).readObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void onFrame(JsonObject frame) {
        String type = frame.getString("type", "");
        if (type.equals("message")) {
            String channel = frame.getString("channel", null);
            String epoch = frame.getString("epoch", null);
            long offset = epoch == null ? 0 : frame.getJsonNumber("offset").longValue();
            if (epoch != null && channels.contains(channel)) {
                positions.put(channel, new Position(epoch, offset));
            }
            onMessage.accept(new ClientMessage(channel, frame.getString("to", null), frame.getString("id", null),
                    frame.get("data").toString(), frame.getJsonNumber("ts").longValue(), epoch, offset));
            return;
        }
        if ((type.equals("join") || type.equals("leave")) && frame.get("member") instanceof JsonObject member) {
            onMember.accept(new MemberEvent(type, frame.getString("channel", null), member(member)));
            return;
        }
        if (frame.getBoolean("server", false)) {
            onServerAct(frame);
            return;
        }
        JsonValue ref = frame.get(type.equals("error") ? "ref" : "id");
        if (ref == null || ref.getValueType() != JsonValue.ValueType.NUMBER) {
            return;
        }
        Pending waiting = pending.remove(frame.getJsonNumber(type.equals("error") ? "ref" : "id").longValue());
        if (waiting != null) {
            waiting.timeout().cancel(false);
            if (type.equals("error")) {
                waiting.reply().completeExceptionally(new RequestFailedException(frame.getString("code"), frame.getString("message", "")));
            } else {
                waiting.reply().complete(frame);
            }
        }
    }

    /** Logs when a connection opens on another transport than the last one did. */
    private void announceTransport() {
        if (lastTransport != transport()) {
            Transport previous = lastTransport;
            lastTransport = transport();
            if (previous != null) {
                LOG.info(() -> "Connected over " + lastTransport + " (was " + previous + ")");
            }
        }
    }

    // --- the event-stream transport, on the loop thread ---

    /** Opens {@code GET /sse} with every remembered channel, resuming from where the client stands on each. */
    private void openStream() {
        EventStream opening = new EventStream(channels);
        stream = opening;
        if (state != ClientState.OPEN) { // a stream opened again for its channels stays OPEN meanwhile
            setState(attempt == 0 ? ClientState.CONNECTING : ClientState.RECONNECTING);
        }
        StringBuilder query = new StringBuilder();
        for (String channel : opening.channels) {
            query.append(query.length() == 0 ? "" : "&").append("channel=").append(URLEncoder.encode(channel, StandardCharsets.UTF_8));
        }
        String hint = routingUser();
        if (hint != null) {
            query.append(query.length() == 0 ? "" : "&").append("user=").append(URLEncoder.encode(hint, StandardCharsets.UTF_8));
        }
        URI url = beside(urls.get(urlIndex % urls.size()), "/sse", query.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).version(HttpClient.Version.HTTP_1_1)
                .header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token.get());
        }
        String resumeFrom = eventId();
        if (!resumeFrom.isEmpty()) {
            request.header("Last-Event-ID", resumeFrom);
        }
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .whenComplete((response, failure) -> loop.execute(() -> onStreamResponse(opening, response, failure)));
    }

    private void onStreamResponse(EventStream opening, HttpResponse<InputStream> response, Throwable failure) {
        if (stream != opening || closedByUser) {
            if (response != null) {
                EventStream.closeQuietly(response.body());
            }
            return; // given up on meanwhile
        }
        if (failure != null) {
            LOG.log(Level.FINE, "Opening an event stream failed", failure);
            streamEnded(opening, 1006, "event stream failed");
            return;
        }
        if (response.statusCode() != 200) {
            JsonObject refusal;
            try (InputStream body = response.body()) {
                refusal = parse(new String(body.readNBytes(16_384), StandardCharsets.UTF_8));
            } catch (IOException e) {
                refusal = null;
            }
            String code = refusal == null ? "HTTP_" + response.statusCode() : refusal.getString("code", "HTTP_" + response.statusCode());
            String message = refusal == null ? "" : refusal.getString("message", "");
            LOG.warning(() -> "The event stream was refused: " + code + " " + message);
            // As a socket's refused token (4003) or ban (4006): final. Anything else is worth another try.
            int status = response.statusCode();
            streamEnded(opening, status == 401 ? 4003 : status == 403 ? 4006 : 1006, message);
            return;
        }
        opening.opened = true;
        attempt = 0;
        announceTransport();
        setState(ClientState.OPEN);
        opening.read(response.body(), text -> loop.execute(() -> {
            if (stream == opening) {
                onStreamFrame(opening, text);
            }
        }), () -> loop.execute(() -> streamEnded(opening, 1006, "event stream ended")));
        watchStream(opening);
        scheduleStreamRefresh();
        if (opening.awaiting.isEmpty()) {
            onReady.run();
        }
        if (!opening.channels.equals(channels)) {
            reopenStream(); // subscribed or unsubscribed while it was opening
        }
    }

    /** A stream silent for {@code streamTimeout} (the server comments every 15 s at most) is dead. */
    private void watchStream(EventStream watched) {
        if (streamWatch != null) {
            streamWatch.cancel(false);
        }
        long every = Math.max(100, streamTimeout.toMillis() / 4);
        streamWatch = loop.scheduleWithFixedDelay(() -> {
            if (stream == watched && watched.silentNanos() > streamTimeout.toNanos()) {
                streamEnded(watched, 4000, "event stream silent");
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** A stream ends when its token expires: a minute before, it is opened again with a fresh one. */
    private void scheduleStreamRefresh() {
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        JsonObject claims = token == null ? null : claims(token.get());
        if (claims != null && claims.containsKey("exp")) {
            long in = Math.max(1_000, claims.getJsonNumber("exp").longValue() * 1000 - System.currentTimeMillis() - 60_000);
            refreshTask = loop.schedule(this::reopenStream, in, TimeUnit.MILLISECONDS);
        }
    }

    /** Frames only a stream sends (a subscription's answer or refusal, the end of the stream); the rest as a socket's. */
    private void onStreamFrame(EventStream from, String text) {
        JsonObject frame = parse(text);
        if (frame == null) {
            return;
        }
        String type = frame.getString("type", "");
        String channel = frame.getString("channel", null);
        boolean ours = channel != null && !frame.getBoolean("server", false);
        if (type.equals("subscribed") && ours) {
            boolean recovered = frame.getBoolean("recovered", true);
            if (frame.containsKey("epoch") && channels.contains(channel) && (!positions.containsKey(channel) || !recovered)) {
                positions.put(channel, new Position(frame.getString("epoch"), frame.getJsonNumber("offset").longValue()));
            }
            if (!recovered) {
                onUnrecovered.accept(channel);
            }
            streamAnswered(from, channel, null);
        } else if (type.equals("error") && ours) {
            channels.remove(channel);
            positions.remove(channel);
            RequestFailedException refusal = new RequestFailedException(frame.getString("code", ""), frame.getString("message", ""));
            if (!awaitingOpen.containsKey(channel)) {
                onResubscribeFailed.accept(channel, refusal);
            }
            streamAnswered(from, channel, refusal);
        } else if (type.equals("closed")) {
            streamEnded(from, frame.getInt("code", 1006), frame.getString("reason", ""));
        } else {
            onFrame(frame);
        }
    }

    /** A channel of the stream was answered: its waiting subscribe settles, and {@code onReady} once all have been. */
    private void streamAnswered(EventStream from, String channel, RequestFailedException refusal) {
        CompletableFuture<Void> waiting = awaitingOpen.remove(channel);
        if (waiting != null) {
            if (refusal != null) {
                waiting.completeExceptionally(refusal);
            } else {
                waiting.complete(null);
            }
        }
        if (from.awaiting.remove(channel) && from.awaiting.isEmpty()) {
            onReady.run();
        }
    }

    private void streamEnded(EventStream ended, int code, String reason) {
        if (stream != ended) {
            return;
        }
        stream = null;
        ended.cancel();
        if (streamWatch != null) {
            streamWatch.cancel(false);
        }
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        endedFor(code, reason, ended.opened);
    }

    /**
     * A subscribe over a stream: answered by the open stream if it carries the channel already, else the
     * stream is opened again with the channel and its answer settles this.
     */
    private CompletableFuture<Void> streamSubscribe(String channel) {
        if (stream != null && stream.opened && stream.channels.contains(channel) && !stream.awaiting.contains(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> answer = awaitingOpen.computeIfAbsent(channel, c -> new CompletableFuture<>());
        loop.schedule(() -> {
            if (awaitingOpen.remove(channel, answer)) {
                answer.completeExceptionally(new RequestFailedException("TIMEOUT", "no answer within " + requestTimeout.toMillis() + " ms"));
            }
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (stream != null && stream.opened && !stream.channels.contains(channel)) {
            reopenStream();
        }
        return answer;
    }

    /** Opens the stream again (its channels changed, or its token is about to expire); coalesced. */
    private void reopenStream() {
        if (reopenQueued || stream == null || !stream.opened) {
            return; // one still opening carries the channels when it opens
        }
        reopenQueued = true;
        loop.execute(() -> {
            reopenQueued = false;
            EventStream old = stream;
            if (old == null || !old.opened || closedByUser) {
                return;
            }
            stream = null; // its end is not a close: the new stream takes over
            old.cancel();
            openStream();
        });
    }

    /** The event id to resume from: where the client stands on each channel with history ({@code channel!epoch!offset,...}). */
    private String eventId() {
        StringBuilder id = new StringBuilder();
        positions.forEach((channel, at) -> id.append(id.length() == 0 ? "" : ",").append(channel).append('!')
                .append(at.epoch()).append('!').append(at.offset()));
        return id.toString();
    }

    /** A publish over REST with the user's own token: the same rules as a socket's publish. */
    private CompletableFuture<String> publishRest(String channel, JsonValue data, PublishOptions options) {
        if (token == null) {
            return CompletableFuture.failedFuture(new RequestFailedException("UNAUTHORIZED", "publishing over SSE needs a token"));
        }
        StringBuilder query = new StringBuilder();
        if (options.high()) {
            query.append("priority=high");
        }
        if (options.key() != null) {
            query.append(query.length() == 0 ? "" : "&").append("key=").append(URLEncoder.encode(options.key(), StandardCharsets.UTF_8));
        }
        URI url = beside(urls.get(urlIndex % urls.size()), "/api/channels/" + URLEncoder.encode(channel, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/messages", query.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).version(HttpClient.Version.HTTP_1_1).timeout(requestTimeout)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token.get())
                .POST(HttpRequest.BodyPublishers.ofString(data.toString()));
        if (options.idempotencyKey() != null) {
            request.header("Idempotency-Key", options.idempotencyKey());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(new RequestFailedException("DISCONNECTED", "publish failed: " + failure.getMessage()));
                    }
                    JsonObject reply = parse(response.body());
                    if (response.statusCode() != 202 || reply == null) {
                        throw new CompletionException(new RequestFailedException(
                                reply == null ? "HTTP_" + response.statusCode() : reply.getString("code", "HTTP_" + response.statusCode()),
                                reply == null ? "" : reply.getString("message", "")));
                    }
                    return reply.getString("id");
                });
    }

    /** {@code path} on the host of a socket URL ({@code ws://host/ws} -> {@code http://host/sse}), under the same prefix. */
    static URI beside(URI socketUrl, String path, String query) {
        String scheme = socketUrl.getScheme().equals("wss") ? "https" : "http";
        String prefix = socketUrl.getPath().replaceFirst("/ws$", "");
        return URI.create(scheme + "://" + socketUrl.getRawAuthority() + prefix + path + (query.isEmpty() ? "" : "?" + query));
    }

    private void startHeartbeat() {
        stopHeartbeat();
        heartbeatTask = loop.scheduleAtFixedRate(() -> {
            WebSocket pinged = socket;
            request(JSON.createObjectBuilder().add("type", "ping"), pongTimeout).exceptionally(e -> {
                // No pong in time: give up on the socket now; a close handshake with a dead peer can take minutes.
                if (e.getCause() instanceof RequestFailedException r && r.code().equals("TIMEOUT")) {
                    loop.execute(() -> {
                        if (pinged == socket && pinged != null) {
                            pinged.abort();
                            onClosed(pinged, 4000);
                        }
                    });
                }
                return null;
            });
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopHeartbeat() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
    }

    private void setState(ClientState next) {
        if (state != next) {
            state = next;
            onState.accept(next);
        }
    }

    /** The JDK's callbacks, handed to the loop thread. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                loop.execute(() -> onFrame(frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            loop.execute(() -> onClosed(webSocket, statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            loop.execute(() -> onClosed(webSocket, 1006));
        }
    }

    /** Settings for a client; defaults match the JavaScript client's. */
    public static final class Builder {
        private List<URI> urls;
        private String user;
        private Supplier<String> token;
        private Duration heartbeat = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration streamTimeout = Duration.ofSeconds(45);
        private List<Transport> transports = List.of(Transport.WEBSOCKET);
        private Consumer<ClientMessage> onMessage = m -> { };
        private Consumer<ClientState> onState = s -> { };
        private Consumer<String> onUnrecovered = c -> { };
        private Consumer<MemberEvent> onMember = e -> { };
        private BiConsumer<String, Throwable> onResubscribeFailed = (c, e) -> LOG.log(Level.WARNING, "Resubscribing to " + c + " was refused", e);
        private Runnable onReady = () -> { };
        private Consumer<ServerAct> onServerAct = act -> { };
        private HttpClient http;

        /** The endpoints ({@code ws://host:port/ws}), tried in turn on each reconnect. */
        public Builder urls(List<URI> endpoints) {
            this.urls = endpoints;
            return this;
        }

        /** The user: with a token, a routing hint for the balancer; without one, the identity (servers in development mode only). */
        public Builder user(String id) {
            this.user = id;
            return this;
        }

        /** Where tokens come from (the application's backend): asked on every connection and a minute before each expires. */
        public Builder token(Supplier<String> source) {
            this.token = source;
            return this;
        }

        public Builder heartbeat(Duration interval, Duration timeout) {
            this.heartbeat = interval;
            this.pongTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** What the server did of its own accord: see {@link ServerAct}. Called on the client's thread. */
        public Builder onServerAct(Consumer<ServerAct> listener) {
            this.onServerAct = listener;
            return this;
        }

        public Builder onMessage(Consumer<ClientMessage> listener) {
            this.onMessage = listener;
            return this;
        }

        public Builder onState(Consumer<ClientState> listener) {
            this.onState = listener;
            return this;
        }

        /** Called on the client's thread with each join and leave on subscribed channels that send them. */
        public Builder onMember(Consumer<MemberEvent> listener) {
            this.onMember = listener;
            return this;
        }

        /**
         * Called with a channel whose resubscription could not replay everything missed (beyond the
         * channel's history, or its stream started again): reload that channel's state from the application.
         */
        public Builder onUnrecovered(Consumer<String> listener) {
            this.onUnrecovered = listener;
            return this;
        }

        /**
         * Called on the client's thread with a remembered channel the server refused after a reconnect (the
         * user's rights changed, the channel went away) and the refusal ({@link RequestFailedException} with
         * its code); the client forgot the channel. A resubscribe lost with the connection or timed out is
         * not reported: the next connection tries again. By default a WARNING is logged.
         */
        public Builder onResubscribeFailed(BiConsumer<String, Throwable> listener) {
            this.onResubscribeFailed = listener;
            return this;
        }

        /**
         * Called on the client's thread each time the connection is open and every remembered channel's
         * subscription has been answered: after the first connect and after every reconnect.
         */
        public Builder onReady(Runnable listener) {
            this.onReady = listener;
            return this;
        }

        /**
         * The transports to try, in order (default WebSocket only): with {@code WEBSOCKET, SSE}, a URL where a
         * socket never opens is tried over an event stream before the next URL, and the client stays with the
         * transport that worked. See {@link Transport#SSE} for what a stream cannot do.
         */
        public Builder transports(Transport... order) {
            if (order.length == 0) {
                throw new IllegalArgumentException("at least one transport");
            }
            this.transports = List.of(order);
            return this;
        }

        /** An event stream silent this long is given up and opened again (default 45 s; the server comments every 15 s). */
        public Builder streamTimeout(Duration timeout) {
            this.streamTimeout = timeout;
            return this;
        }

        /** A JDK client to share between many wscluster clients (one selector thread for all); by default each has its own. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public WsclusterClient build() {
            if (urls == null || urls.isEmpty() || user == null && token == null) {
                throw new IllegalArgumentException("urls and a token (or user) are required");
            }
            return new WsclusterClient(this);
        }
    }
}
