package io.wscluster.web.sse;

import io.wscluster.hub.FrameSink;
import io.wscluster.hub.OutboundFrame;
import io.wscluster.protocol.JsonText;
import io.wscluster.web.transport.StreamConnection;
import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An event stream as the hub's transport: every frame becomes an event whose data is the frame's JSON, the
 * same the socket sends; a message on a channel with history also gets an {@code id} that holds this
 * client's position on every such channel of the stream ({@link EventIds}). Pings are comments (the client
 * cannot answer them; a write that succeeds is what keeps the connection alive), and a close is a last
 * event, {@code {"type":"closed","code","reason"}}, before the end of the stream.
 */
final class StreamSink implements FrameSink {

    private static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final String id;
    private final StreamConnection stream;
    private final Map<String, EventIds.Position> positions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable heard = () -> { };
    private volatile long lastWriteNanos = System.nanoTime();

    StreamSink(String id, StreamConnection stream) {
        this.id = id;
        this.stream = stream;
    }

    /** What to call when a write reached the socket: the connection counts as alive. */
    void onWritten(Runnable action) {
        this.heard = action;
    }

    /** Where the client stands on a channel with history when its subscription starts. */
    void startsAt(String channel, String epoch, long offset) {
        positions.put(channel, new EventIds.Position(epoch == null ? "" : epoch, offset));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
        StringBuilder events = new StringBuilder();
        for (OutboundFrame frame : frames) {
            if (frame.epoch() != null && frame.channel() != null) {
                positions.put(frame.channel(), new EventIds.Position(frame.epoch(), frame.offset()));
                events.append("id: ").append(EventIds.encode(positions)).append('\n');
            }
            events.append("data: ").append(frame.text()).append("\n\n");
        }
        send(ByteBuffer.wrap(events.toString().getBytes(StandardCharsets.UTF_8)), done);
    }

    private void send(ByteBuffer bytes, Consumer<Throwable> done) {
        lastWriteNanos = System.nanoTime();
        stream.write(bytes, failure -> {
            if (failure == null) {
                heard.run();
            }
            done.accept(failure);
        });
    }

    /** A comment, if nothing was written for {@code quietNanos}: keeps proxies from timing the stream out. */
    void keepAlive(long quietNanos) {
        if (!closed.get() && System.nanoTime() - lastWriteNanos > quietNanos) {
            ping();
        }
    }

    @Override
    public void ping() {
        send(ByteBuffer.wrap(COMMENT), failure -> { });
    }

    @Override
    public void close(CloseReason reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String event = "data: " + JsonText.provider().createObjectBuilder().add("type", "closed").add("code", reason.getCloseCode().getCode())
                .add("reason", reason.getReasonPhrase()).build() + "\n\n";
        stream.write(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)), failure -> { });
        stream.close(5); // a client that does not read its last event has its connection cut 5 s later
    }

    boolean isClosed() {
        return closed.get();
    }
}
