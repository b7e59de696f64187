package io.wscluster.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The JDK's WebSocket refuses a send while the one before it is unfinished ("Send pending"); requests made
 * back to back (a token's connect and every resubscribe after a reconnect) must all go out, in order.
 */
class SendOrderTest {

    @Test
    void requestsMadeBackToBackAreAllSentInOrderAndAnswered() throws Exception {
        SlowSocket socket = new SlowSocket();
        try (WsclusterClient client = WsclusterClient.builder().urls(List.of(URI.create("ws://127.0.0.1:1/ws"))).user("u")
                .requestTimeout(Duration.ofSeconds(3)).httpClient(new OneSocketClient(socket)).build()) {
            client.connect();
            List<CompletableFuture<Void>> subscribed = List.of(client.subscribe("a"), client.subscribe("b"), client.subscribe("c"));
            for (CompletableFuture<Void> answer : subscribed) {
                answer.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of("a", "b", "c"), socket.sent.stream().map(f -> f.getString("channel")).toList());
        }
    }

    /** Like the JDK's: one text send at a time, each finishing a little later, on another thread. */
    private static final class SlowSocket implements WebSocket {
        final List<JsonObject> sent = new CopyOnWriteArrayList<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private Listener listener;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            if (!sending.compareAndSet(false, true)) {
                return CompletableFuture.failedFuture(new IllegalStateException("Send pending"));
            }
            JsonObject frame = Json.createReader(new StringReader(data.toString())).readObject();
            sent.add(frame);
            return CompletableFuture.supplyAsync(() -> {
                sending.set(false);
                listener.onText(this, "{\"type\":\"subscribed\",\"channel\":\"" + frame.getString("channel", "") + "\",\"id\":"
                        + frame.getJsonNumber("id") + "}", true);
                return (WebSocket) this;
            }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }

    /** An HttpClient whose WebSocket builder hands out the one socket; nothing else is used. */
    private static final class OneSocketClient extends HttpClient {
        private final SlowSocket socket;

        OneSocketClient(SlowSocket socket) {
            this.socket = socket;
        }

        @Override
        public WebSocket.Builder newWebSocketBuilder() {
            return new WebSocket.Builder() {
                @Override
                public WebSocket.Builder header(String name, String value) {
                    return this;
                }

                @Override
                public WebSocket.Builder connectTimeout(Duration timeout) {
                    return this;
                }

                @Override
                public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
                    return this;
                }

                @Override
                public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener listener) {
                    socket.listener = listener;
                    return CompletableFuture.completedFuture(socket);
                }
            };
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            throw new UnsupportedOperationException();
        }
    }
}
