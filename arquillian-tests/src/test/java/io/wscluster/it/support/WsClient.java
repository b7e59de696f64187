package io.wscluster.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A WebSocket client as an application would use it (the JDK's), recording every frame it receives
 * and how the connection ended, so tests can await conditions instead of sleeping.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String REGISTERED_ID = "__registered";
    /** Trusts any certificate: the TLS peers of the tests are nodes on 127.0.0.1 with self-signed ones. */
    private static final HttpClient HTTP = HttpClient.newBuilder().sslContext(trustingAnyCertificate()).build();
    // One provider lookup: Json.createReader does one (a class-path scan) per frame, 30-80 us each
    // against 1 us for the parse, and a burst test reads 40,000 frames.
    private static final JsonProvider JSON = JsonProvider.provider();

    // Frames not yet matched by an await, and every frame received; guarded by this.
    private final List<JsonObject> pending = new ArrayList<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private long taken; // frames removed from pending by await
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final boolean reading;
    private WebSocket socket;
    private volatile String closeReason;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects to {@code node} as {@code user} (null: without the user parameter) and reads frames as they come. */
    public static WsClient connect(Node node, String user) {
        return open(node.wsUri(user), true);
    }

    /** Connects to a WebSocket URI as given (query, user or none) and reads frames as they come. */
    public static WsClient connect(URI uri) {
        return open(uri, true);
    }

    /** Connects as {@code user} but never reads: a stalled client. */
    public static WsClient connectWithoutReading(Node node, String user) {
        return connectWithoutReading(node.wsUri(user));
    }

    /** Connects to {@code uri} ({@code ws:} or {@code wss:}) but never reads. */
    public static WsClient connectWithoutReading(URI uri) {
        return open(uri, false);
    }

    private static SSLContext trustingAnyCertificate() {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {any}, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WsClient open(URI uri, boolean reading) {
        WsClient client = new WsClient(reading);
        client.socket = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, client.listener())
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (reading) {
            client.awaitRegistered();
        }
        return client;
    }

    /**
     * The handshake can complete before the server has registered the connection; one ping round trip
     * proves it has, so a message addressed to this user right after connect() cannot be missed.
     * Refused connections (closed by the server) return as soon as the close arrives.
     */
    private void awaitRegistered() {
        try {
            socket.sendText("{\"type\":\"ping\",\"id\":\"" + REGISTERED_ID + "\"}", true).join();
        } catch (CompletionException e) {
            // closed by the server already: the close code tells the test why
        }
        CompletableFuture.anyOf(registered, closeCode).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    public WsClient send(String frame) {
        socket.sendText(frame, true).join();
        return this;
    }

    /** Sends a frame; false when the socket no longer takes it (the peer reset or closed it). */
    public boolean trySend(String frame) {
        try {
            socket.sendText(frame, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            return true;
        } catch (CompletionException e) {
            return false;
        }
    }

    public WsClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** Sends a request and returns its one reply: the next frame whose id (or error ref) is {@code id}. */
    public JsonObject request(String id, String frame) {
        send(frame);
        return awaitReply(id);
    }

    public WsClient subscribe(String channel) {
        String id = "sub-" + channel;
        JsonObject reply = request(id, "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":\"" + id + "\"}");
        assertEquals("subscribed", reply.getString("type"), () -> "subscribe " + channel + ": " + reply);
        return this;
    }

    public JsonObject awaitReply(String id) {
        return await(f -> id.equals(stringOrNull(f, "id")) && !"message".equals(f.getString("type"))
                || id.equals(stringOrNull(f, "ref")), "reply to " + id);
    }

    /** The next message frame (skipping replies) with the given message id. */
    public JsonObject awaitMessage(String messageId) {
        return await(f -> "message".equals(f.getString("type")) && messageId.equals(f.getString("id")), "message " + messageId);
    }

    /** Waits for the first frame not matched before that meets the condition, and marks it matched. */
    public JsonObject await(Predicate<JsonObject> condition, String what) {
        return await(condition, what, TIMEOUT);
    }

    /** As {@link #await(Predicate, String)}, with its own bound (for the end of a long stream). */
    public synchronized JsonObject await(Predicate<JsonObject> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Frames arrive at the end while we wait, so each is tested once, unless another thread's await
        // took one out meanwhile (then start over).
        int checked = 0;
        long takenBefore = taken;
        try {
            while (true) {
                if (taken != takenBefore) {
                    checked = 0;
                    takenBefore = taken;
                }
                for (; checked < pending.size(); checked++) {
                    if (condition.test(pending.get(checked))) {
                        taken++;
                        return pending.remove(checked);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout + "; received " + describeSeen());
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String describeSeen() {
        return seen.size() <= 20 ? seen.toString()
                : seen.size() + " frames, the last: " + seen.subList(seen.size() - 3, seen.size());
    }

    /** Every frame received so far, in order. */
    public synchronized List<JsonObject> seen() {
        return List.copyOf(seen);
    }

    public int awaitClose() {
        Integer code = closeCode.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        assertNotNull(code);
        return code;
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private static String stringOrNull(JsonObject frame, String field) {
        return frame.containsKey(field) ? frame.get(field).toString().replace("\"", "") : null;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                if (reading) {
                    webSocket.request(Long.MAX_VALUE);
                } // else: no demand at all, so the server's frames back up
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonObject frame = JSON.createReader(new StringReader(partial.toString())).readObject();
                    partial.setLength(0);
                    if (REGISTERED_ID.equals(frame.getString("id", null))) {
                        registered.complete(null); // the connect handshake of this helper, not a test frame
                        return null;
                    }
                    synchronized (WsClient.this) {
                        seen.add(frame);
                        pending.add(frame);
                        WsClient.this.notifyAll();
                    }
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.completeExceptionally(error);
            }
        };
    }
}
