package io.wscluster.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client's event-stream transport against a stand-in server on 127.0.0.1 that refuses WebSocket
 * upgrades: it falls back to {@code /sse} on the same URL, gets its channel's answer and messages, resumes
 * with {@code Last-Event-ID} after the stream ends, publishes over REST with its token, and refuses presence.
 */
class EventStreamTransportTest {

    /** A token the stand-in does not verify; the client reads its subject as the routing hint. */
    private static final String TOKEN = "e30." + Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"sub\":\"alice\"}".getBytes(StandardCharsets.UTF_8)) + ".sig";

    private HttpServer server;
    private final BlockingQueue<HttpExchange> streams = new LinkedBlockingQueue<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ws", exchange -> { // no upgrades here, as behind a proxy that breaks them
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        server.createContext("/sse", streams::add); // each test answers its streams itself
        server.createContext("/api/channels/news/messages", exchange -> {
            published.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key")
                    + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = "{\"id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        done.countDown();
        server.stop(0);
    }

    @Test
    void fallsBackToAnEventStreamResumesItAndPublishesOverRest() throws Exception {
        List<ClientMessage> messages = new CopyOnWriteArrayList<>();
        URI url = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/ws");
        try (WsclusterClient client = WsclusterClient.builder().urls(List.of(url)).token(() -> TOKEN)
                .transports(Transport.WEBSOCKET, Transport.SSE).backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .onMessage(messages::add).build()) {
            client.connect();
            var subscribed = client.subscribe("news");

            HttpExchange first = nextStream();
            assertEquals("channel=news&user=alice", first.getRequestURI().getRawQuery());
            assertEquals("Bearer " + TOKEN, first.getRequestHeaders().getFirst("Authorization"));
            // It ends after one message: the client opens it again from there.
            respond(first, true, "{\"type\":\"subscribed\",\"channel\":\"news\",\"epoch\":\"e1\",\"offset\":0,\"recovered\":true}",
                    "{\"type\":\"message\",\"channel\":\"news\",\"id\":\"m1\",\"epoch\":\"e1\",\"offset\":1,\"data\":{\"n\":1},\"ts\":1}");
            subscribed.get(10, TimeUnit.SECONDS);

            HttpExchange second = nextStream();
            assertEquals("news!e1!1", second.getRequestHeaders().getFirst("Last-Event-ID"));
            respond(second, false, "{\"type\":\"subscribed\",\"channel\":\"news\",\"epoch\":\"e1\",\"offset\":1,\"recovered\":true}",
                    "{\"type\":\"message\",\"channel\":\"news\",\"id\":\"m2\",\"epoch\":\"e1\",\"offset\":2,\"data\":{\"n\":2},\"ts\":2}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (messages.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("m1", "m2"), messages.stream().map(ClientMessage::id).toList());
            assertEquals(Transport.SSE, client.transport());
            assertEquals(ClientState.OPEN, client.state());

            assertEquals("p1", client.publish("news", "{\"n\":3}", "key-1").get(10, TimeUnit.SECONDS));
            assertEquals(List.of("Bearer " + TOKEN + " key-1 {\"n\":3}"), published);

            ExecutionException presence = assertThrows(ExecutionException.class, () -> client.presence("news").get(10, TimeUnit.SECONDS));
            assertEquals("NOT_SUPPORTED", assertInstanceOf(RequestFailedException.class, presence.getCause()).code());
        }
    }

    @Test
    void aChannelTheStreamRefusesFailsItsSubscribeAndTheStreamIsOpenedAgainForANewOne() throws Exception {
        URI url = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/ws");
        try (WsclusterClient client = WsclusterClient.builder().urls(List.of(url)).token(() -> TOKEN)
                .transports(Transport.SSE).build()) {
            client.connect();
            HttpExchange empty = nextStream();
            assertEquals("user=alice", empty.getRequestURI().getRawQuery());
            respond(empty, false);
            var refused = client.subscribe("secret");
            HttpExchange withSecret = nextStream();
            assertEquals("channel=secret&user=alice", withSecret.getRequestURI().getRawQuery());
            respond(withSecret, false, "{\"type\":\"error\",\"code\":\"PERMISSION_DENIED\",\"message\":\"no\",\"channel\":\"secret\"}");
            ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
            assertEquals("PERMISSION_DENIED", assertInstanceOf(RequestFailedException.class, failure.getCause()).code());
            assertTrue(client.state() == ClientState.OPEN, "the stream stays open for the other channels");
        }
    }

    private HttpExchange nextStream() throws InterruptedException {
        HttpExchange exchange = streams.poll(10, TimeUnit.SECONDS);
        if (exchange == null) {
            throw new AssertionError("the client opened no event stream");
        }
        return exchange;
    }

    /** Answers a stream with events; then ends it, or holds it open until the test ends. */
    private void respond(HttpExchange exchange, boolean end, String... frames) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        for (String frame : frames) {
            body.write(("data: " + frame + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        body.flush();
        if (end) {
            exchange.close();
        } else {
            Thread holder = new Thread(() -> {
                try {
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            holder.setDaemon(true);
            holder.start();
        }
    }
}
