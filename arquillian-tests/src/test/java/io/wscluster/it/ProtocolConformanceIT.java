package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wscluster.it.support.FuzzFrames;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.RawWebSocket;
import io.wscluster.it.support.RawWebSocket.Frame;
import io.wscluster.it.support.Tokens;
import io.wscluster.it.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wire, tried as Autobahn and a fuzzer would, on the "secure" node: RFC 6455 framing rules with a raw
 * socket (masking, reserved bits and opcodes, fragmentation, control frames, UTF-8, the close handshake),
 * and a seeded corpus of hostile JSON frames, each of which must get exactly one reply while the node
 * stays healthy and a bystander's subscription keeps delivering.
 */
@ExtendWith(ArquillianExtension.class)
class ProtocolConformanceIT {

    private static final Node NODE = Node.atPort(18070);
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Frames per run (it.fuzz.frames) and the seed (it.fuzz.seed): the same seed sends the same frames. */
    private static final int FUZZ_FRAMES = Integer.getInteger("it.fuzz.frames", 10_000);
    private static final long FUZZ_SEED = Long.getLong("it.fuzz.seed", 20261125L);
    private static final Set<String> REPLIES = Set.of("error", "pong", "subscribed", "unsubscribed", "published", "connected",
            "refreshed", "presence");
    private static final byte[] INVALID_UTF8 = {'"', (byte) 0xC3, (byte) 0x28, '"'};

    @Deployment(testable = false)
    @TargetsContainer("secure")
    static WebArchive wscluster() {
        return Node.builtWar();
    }

    /** An RFC 6455 case: what the client sends on a fresh connection, and the close code the server must answer with. */
    record Case(String name, Consumer<RawWebSocket> send, int closeCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> violations() {
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Case("unmasked text frame", s -> s.send(true, RawWebSocket.TEXT, ping, false), 1002),
                new Case("reserved data opcode 3", s -> s.send(true, 3, ping, true), 1002),
                new Case("reserved control opcode 11", s -> s.send(true, 11, new byte[0], true), 1002),
                new Case("RSV1 without an extension", s -> s.send(true, 0x40 | RawWebSocket.TEXT, ping, true), 1002),
                new Case("fragmented ping", s -> s.send(false, RawWebSocket.PING, new byte[1], true), 1002),
                new Case("ping longer than 125 bytes", s -> s.send(true, RawWebSocket.PING, new byte[126], true), 1002),
                new Case("continuation without a start", s -> s.send(true, 0, ping, true), 1002),
                new Case("new message inside a fragmented one", s -> {
                    s.send(false, RawWebSocket.TEXT, "{\"type\":".getBytes(StandardCharsets.UTF_8), true);
                    s.send(true, RawWebSocket.TEXT, ping, true);
                }, 1002),
                new Case("invalid UTF-8 in a text frame", s -> s.send(true, RawWebSocket.TEXT, INVALID_UTF8, true), 1007),
                new Case("invalid UTF-8 across fragments", s -> {
                    s.send(false, RawWebSocket.TEXT, new byte[] {'"', (byte) 0xE2, (byte) 0x82}, true);
                    s.send(true, 0, new byte[] {(byte) 0x28, '"'}, true);
                }, 1007),
                new Case("close with a 1-byte payload", s -> s.send(true, RawWebSocket.CLOSE, new byte[] {3}, true), 1002),
                new Case("close with code 1005", s -> s.send(true, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xED}, true), 1002),
                new Case("close with code 999", s -> s.send(true, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE7}, true), 1002),
                new Case("close with code 1000", s -> s.send(true, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true), 1000));
    }

    @ParameterizedTest
    @MethodSource("violations")
    void framingViolationsAreClosedWithTheRfcCode(Case c) {
        try (WsClient bystander = WsClient.connect(NODE.wsUri(null)).subscribe("news");
             RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0)) {
            assertTrue(socket.upgraded(), socket.handshakeStatus());
            c.send().accept(socket);
            List<Frame> frames = new ArrayList<>(socket.readAll(10));
            Frame last = frames.isEmpty() ? null : frames.get(frames.size() - 1);
            assertTrue(last != null && last.opcode() == RawWebSocket.CLOSE, () -> c + ": no close frame, got " + frames);
            assertEquals(c.closeCode(), last.closeCode(), () -> c + ": " + last.text());
            assertTrue(socket.endOfStream(10_000), c + ": the TCP connection ends after the close");
            assertEquals("pong", bystander.request("p", "{\"type\":\"ping\",\"id\":\"p\"}").getString("type"), "the bystander is served");
        }
    }

    @Test
    void controlFramesAndFragmentsAreHandledAsTheRfcSays() {
        try (RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0)) {
            // A ping is answered with a pong carrying the same payload.
            socket.send(true, RawWebSocket.PING, "abc".getBytes(StandardCharsets.UTF_8), true);
            Frame pong = socket.read();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), pong.payload());
            // An unsolicited pong is ignored.
            socket.send(true, RawWebSocket.PONG, new byte[0], true);
            // A text message in three fragments, a ping between them: the ping is answered at once, the
            // message once complete.
            socket.send(false, RawWebSocket.TEXT, "{\"type\":\"pi".getBytes(StandardCharsets.UTF_8), true);
            socket.send(true, RawWebSocket.PING, "mid".getBytes(StandardCharsets.UTF_8), true);
            socket.send(false, 0, "ng\",\"id\":".getBytes(StandardCharsets.UTF_8), true);
            socket.send(true, 0, "\"frag\"}".getBytes(StandardCharsets.UTF_8), true);
            Frame midPong = socket.read();
            assertEquals(RawWebSocket.PONG, midPong.opcode());
            assertArrayEquals("mid".getBytes(StandardCharsets.UTF_8), midPong.payload());
            assertEquals("{\"type\":\"pong\",\"id\":\"frag\"}", socket.read().text());
            // Valid multi-byte UTF-8 split inside a character across fragments is fine.
            byte[] euro = "\"\u20ac\"".getBytes(StandardCharsets.UTF_8);
            socket.send(false, RawWebSocket.TEXT, java.util.Arrays.copyOfRange(euro, 0, 2), true);
            socket.send(true, 0, java.util.Arrays.copyOfRange(euro, 2, euro.length), true);
            JsonObject error = JSON.createReader(new StringReader(socket.read().text())).readObject();
            assertEquals("BAD_FRAME", error.getString("code"), "a JSON string is not a request, but it arrived whole: " + error);
        }
    }

    @Test
    void everyMessageOverTheLimitGetsOneErrorWhateverItsSizeAndTheConnectionStays() {
        // One limit (wscluster.message.max-bytes, 64 KiB by default), one answer: whether one frame or fragments,
        // just over the limit or far beyond what the node would ever buffer, nothing of it is kept.
        int limit = 64 * 1024;
        try (RawWebSocket socket = RawWebSocket.connect(NODE.wsUri(null), 0)) {
            for (int length : new int[] {limit + 1, 4 * 1024 * 1024 + 11, 4 * 1024 * 1024 + 12, 12 * 1024 * 1024}) {
                socket.send(true, RawWebSocket.TEXT, quoted(length), true);
                assertTooLarge(socket, length + " bytes in one frame");
            }
            byte[] half = quoted(limit / 2 + 10);
            socket.send(false, RawWebSocket.TEXT, half, true);
            socket.send(true, 0, half, true);
            assertTooLarge(socket, "two fragments together over the limit");
            socket.send(true, RawWebSocket.TEXT, "{\"type\":\"ping\",\"id\":\"after\"}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("{\"type\":\"pong\",\"id\":\"after\"}", socket.read().text(), "the connection stays");
        }
    }

    private static void assertTooLarge(RawWebSocket socket, String what) {
        Frame reply = socket.read();
        assertEquals(RawWebSocket.TEXT, reply.opcode(), what + ": " + reply.text());
        assertEquals("MESSAGE_TOO_LARGE", JSON.createReader(new StringReader(reply.text())).readObject().getString("code"), what);
    }

    private static byte[] quoted(int length) {
        byte[] text = new byte[length];
        java.util.Arrays.fill(text, (byte) 'a');
        text[0] = '"';
        text[length - 1] = '"';
        return text;
    }

    @Test
    void everyFuzzedFrameGetsExactlyOneReplyAndNobodyElseNotices() throws Exception {
        FuzzFrames frames = new FuzzFrames(FUZZ_SEED);
        Replies fuzzer = Replies.open(Tokens.hs256("fuzzer", Duration.ofHours(2)));
        try (WsClient bystander = WsClient.connect(NODE.wsUri(null)).subscribe("news")) {
            for (int i = 0; i < FUZZ_FRAMES; i++) {
                String frame = frames.next();
                String context = "frame " + i + " of seed " + FUZZ_SEED + ": " + abbreviated(frame);
                fuzzer.socket.sendText(frame, true).join();
                JsonObject first = fuzzer.nextReply(Duration.ofSeconds(10));
                if (first == null && fuzzer.closeCode != null) {
                    // Only a token for another user closes a connection here, and the fuzzer never has one.
                    fail(context + ": closed with " + fuzzer.closeCode);
                }
                assertTrue(first != null, () -> context + ": no reply");
                String sentinel = "sentinel-" + i;
                fuzzer.socket.sendText("{\"type\":\"ping\",\"id\":\"" + sentinel + "\"}", true).join();
                int extra = 0;
                for (JsonObject reply; !sentinel.equals((reply = fuzzer.nextReply(Duration.ofSeconds(10))) == null ? null : reply.getString("id", null)); ) {
                    assertTrue(reply != null, () -> context + ": no pong for the sentinel");
                    extra++;
                }
                int replies = 1 + extra;
                assertEquals(1, replies, () -> context + ": " + replies + " replies");
                if (i % 1000 == 999) {
                    String id = Node.json(NODE.postAs("/api/channels/news/messages", "{\"after\":" + i + "}", Node.API_KEY)).getString("id");
                    bystander.awaitMessage(id);
                    assertEquals(200, NODE.get("/health/ready").statusCode(), "the node is ready after " + (i + 1) + " frames");
                }
            }
        } finally {
            fuzzer.socket.abort();
        }
    }

    private static String abbreviated(String frame) {
        return frame.length() <= 300 ? frame : frame.substring(0, 300) + "... (" + frame.length() + " chars)";
    }

    /** A connection whose reply frames (not messages, joins or leaves) queue up to be counted. */
    private static final class Replies implements WebSocket.Listener {
        final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        volatile Integer closeCode;
        WebSocket socket;

        static Replies open(String token) {
            Replies listener = new Replies();
            listener.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(NODE.wsUri("fuzzer"), listener).join();
            listener.socket.sendText("{\"type\":\"connect\",\"token\":\"" + token + "\",\"id\":\"c\"}", true).join();
            JsonObject connected = listener.nextReply(Duration.ofSeconds(10));
            assertEquals("connected", connected == null ? null : connected.getString("type"));
            return listener;
        }

        JsonObject nextReply(Duration timeout) {
            try {
                return replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject frame = JSON.createReader(new StringReader(partial.toString())).readObject();
                partial.setLength(0);
                if (REPLIES.contains(frame.getString("type"))) {
                    replies.add(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            return null;
        }
    }
}
