package io.wscluster.hub;

import io.wscluster.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One client connection as the hub sees it: its user, its subscriptions, its outbound queue and when it was last heard. */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final FrameSink sink;
    private final String user;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final OutboundQueue outbound;
    private final Consumer<Connection> onGivenUp;
    private volatile long lastHeardNanos = System.nanoTime();

    /** @param onGivenUp runs when the client is given up on (too slow, or a send failed), before it is closed */
    Connection(FrameSink sink, String user, int queueCapacity, Consumer<Connection> onGivenUp) {
        this.sink = sink;
        this.user = user;
        this.onGivenUp = onGivenUp;
        this.outbound = new OutboundQueue(queueCapacity, sink::send, this::sendFailed);
    }

    public String id() {
        return sink.id();
    }

    public String user() {
        return user;
    }

    /** The channels this connection is subscribed to; the hub keeps it in step with its own index. */
    Set<String> channels() {
        return channels;
    }

    /** Queues a frame; never blocks. A client whose queue is full is closed as a slow consumer. */
    public void send(String frame) {
        send(frame, false);
    }

    /** @param urgent ahead of normal frames already queued (high-priority messages) */
    void send(String frame, boolean urgent) {
        if (!outbound.offer(frame, urgent)) {
            LOG.log(Level.INFO, "Closing slow consumer {0} (user {1}): outbound queue full", new Object[] {id(), user});
            giveUp("outbound queue overflow");
        }
    }

    int queuedFrames() {
        return outbound.depth();
    }

    /** The client sent a frame: it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos(long now) {
        return now - lastHeardNanos;
    }

    /** Drops what is queued and starts the close handshake. */
    void close(CloseReason reason) {
        outbound.close();
        sink.close(reason);
    }

    private void sendFailed(Throwable failure) {
        // A timed-out send is a client that stopped reading; anything else is a peer already gone.
        LOG.log(Level.FINE, "Send to " + id() + " failed; closing it", failure);
        giveUp("send failed");
    }

    private void giveUp(String why) {
        onGivenUp.accept(this);
        close(CloseCodes.slowConsumer(why));
    }
}
