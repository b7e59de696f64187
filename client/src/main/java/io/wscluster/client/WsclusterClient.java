package io.wscluster.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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
 * A wscluster client for JVM applications, on the JDK's WebSocket client. It detects dead connections
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
    private WebSocket socket;
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
        URI base = urls.get(urlIndex % urls.size());
        // The user, if known, is a routing hint for the balancer; the token proves it.
        String hint = routingUser();
        URI uri = hint == null ? base : URI.create(base + (base.getQuery() == null ? "?" : "&") + "user=" + URLEncoder.encode(hint, StandardCharsets.UTF_8));
        setState(attempt == 0 ? ClientState.CONNECTING : ClientState.RECONNECTING);
        http.newWebSocketBuilder().connectTimeout(requestTimeout).buildAsync(uri, new Listener())
                .whenComplete((opened, failure) -> loop.execute(() -> {
                    if (failure != null) {
                        LOG.log(Level.FINE, "Connecting to " + base + " failed", failure);
                        scheduleReconnect();
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
        try {
            String[] parts = token.get().split("\\.");
            byte[] claims = java.util.Base64.getUrlDecoder().decode(parts[1]);
            try (var reader = JSON.createReader(new java.io.ByteArrayInputStream(claims))) {
                return reader.readObject().getString("sub", null);
            }
        } catch (RuntimeException e) {
            return null; // not a JWT we can read: no hint, the connect frame still carries the token
        }
    }

    private void onOpen(WebSocket opened) {
        if (closedByUser) {
            opened.abort();
            return;
        }
        socket = opened;
        attempt = 0;
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
        if (closedByUser) {
            return;
        }
        if (FATAL_CLOSES.contains(code) || code >= FINAL_DISCONNECT_FIRST && code <= FINAL_DISCONNECT_LAST) {
            setState(ClientState.CLOSED);
            onServerAct.accept(new ServerAct("disconnected", null, 0, code, reason));
            return;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 20));
        long delay = (long) (ceiling * (1 - 0.5 * ThreadLocalRandom.current().nextDouble())); // jitter spreads clients out
        attempt++;
        urlIndex++;
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
        socket.sendText(frame.add("id", id).build().toString(), true);
        return reply;
    }

    private void onFrame(String text) {
        JsonObject frame;
        try {
            frame = JSON.createReader(new StringReader(text)).readObject();
        } catch (RuntimeException e) {
            return;
        }
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
