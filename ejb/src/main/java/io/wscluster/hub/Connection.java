package io.wscluster.hub;

import io.wscluster.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/** One client connection as the hub sees it: its user, its subscriptions, its outbound queue and when it was last heard. */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    /** What the hub does when this connection loses frames or has to be given up on. */
    interface Outcomes {
        /** Frames this connection lost while it stays (dropped oldest, replaced by a newer one with the same key). */
        void dropped(Connection connection, String reason);

        /** The connection is being closed for {@code reason} ("slow-consumer", "overload"); its queue is lost with it. */
        void givenUp(Connection connection, String reason);
    }

    private final FrameSink sink;
    private volatile String user;
    /** When the user became known on this connection (epoch millis): its affinity write says the same. */
    private volatile long userSinceMillis;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final OutboundQueue outbound;
    private final Outcomes outcomes;
    private volatile long lastHeardNanos = System.nanoTime();
    /** Whom to tell when the server API moves this connection's expiry: its endpoint, which closes it then. */
    private volatile LongConsumer expiry = atMillis -> { };
    /** Per channel that keeps history: where this client stands in its stream. Guarded by this. */
    private final Map<String, Position> positions = new HashMap<>(2);

    /** A positioned frame for this client. */
    record Positioned(OutboundFrame frame, String epoch, long offset) {
    }

    /** The last offset this client got of a channel's stream, and what waits while it resumes. */
    private static final class Position {
        String epoch;
        long delivered;
        List<Positioned> held; // non-null while resuming
    }

    Connection(FrameSink sink, String user, HubSettings settings, WritePool writers, Outcomes outcomes) {
        this.sink = sink;
        this.user = user;
        this.userSinceMillis = System.currentTimeMillis();
        this.outcomes = outcomes;
        this.outbound = new OutboundQueue(settings.outboundQueue(), settings.maxWriteBytes(),
                settings.stallMillis() * 1_000_000, sink::write, writers, this::writeFailed);
    }

    public String id() {
        return sink.id();
    }

    /** The user, once known: null for an anonymous connection, or one that has not sent its token yet. */
    public String user() {
        return user;
    }

    /** The connection proved who it is. */
    void identify(String provenUser) {
        this.userSinceMillis = System.currentTimeMillis();
        this.user = provenUser;
    }

    long userSinceMillis() {
        return userSinceMillis;
    }

    /** What to do when the server API moves this connection's expiry (epoch millis). */
    public void onExpiryMoved(LongConsumer action) {
        this.expiry = action;
    }

    void expireAt(long atMillis) {
        expiry.accept(atMillis);
    }

    /** The channels this connection is subscribed to; the hub keeps it in step with its own index. */
    Set<String> channels() {
        return channels;
    }

    /** Queues a reply or error for this client; never blocks. */
    public void send(String frame) {
        send(OutboundFrame.reply(frame));
    }

    /**
     * Sends the reply to a request on the calling thread, the one that handled the request, when nothing
     * else is being written to the client (a ping's pong, say): no hand-over to the write pool. Never blocks.
     */
    public void reply(String frame) {
        offered(outbound.offer(OutboundFrame.reply(frame), true));
    }

    /** Queues a frame; never blocks. A client that lags is handled as the frame's channel says. */
    void send(OutboundFrame frame) {
        offered(outbound.offer(frame));
    }

    private void offered(OutboundQueue.Offer offer) {
        switch (offer) {
            case QUEUED -> { }
            case REPLACED -> outcomes.dropped(this, "latest-per-key");
            case DROPPED_OLDEST -> outcomes.dropped(this, "drop-oldest");
            case SLOW_CONSUMER -> {
                LOG.log(Level.INFO, "Closing slow consumer {0} (user {1}): it does not read and its queue is full",
                        new Object[] {id(), user});
                giveUp("slow-consumer", CloseCodes.slowConsumer("outbound queue overflow"));
            }
            case OVERLOADED -> {
                LOG.log(Level.WARNING, "Closing {0} (user {1}): this node is too far behind to keep its frames",
                        new Object[] {id(), user});
                giveUp("overload", CloseCodes.overloaded());
            }
        }
    }

    /**
     * A message of a channel that keeps history: sent unless this client has it already (offsets only
     * grow within an epoch), held back while the client resumes the channel.
     */
    synchronized void send(String channel, Positioned message) {
        Position position = positions.computeIfAbsent(channel, c -> new Position());
        if (position.held != null) {
            position.held.add(message);
            return;
        }
        sendIfNew(position, message);
    }

    /** Starts resuming a channel: its messages wait until {@link #finishResume} has sent what was missed. */
    synchronized void beginResume(String channel) {
        positions.computeIfAbsent(channel, c -> new Position()).held = new ArrayList<>();
    }

    /**
     * Sends the subscription's reply, the messages it replays, then what arrived meanwhile after them: in
     * stream order, without a gap or a duplicate at the join.
     *
     * @param epoch the stream's epoch when it was read
     * @param offset where the client stands once the replayed messages are sent (the stream's head when
     *     read): later messages follow, earlier ones are skipped
     */
    synchronized void finishResume(String channel, OutboundFrame reply, List<Positioned> replayed, String epoch, long offset) {
        Position position = positions.computeIfAbsent(channel, c -> new Position());
        List<Positioned> arrived = position.held == null ? List.of() : position.held;
        position.held = null;
        send(reply);
        replayed.forEach(m -> sendIfNew(position, m));
        if (epoch != null && epoch.equals(position.epoch)) {
            position.delivered = Math.max(position.delivered, offset);
        } else if (epoch != null) {
            position.epoch = epoch;
            position.delivered = offset;
        }
        arrived.forEach(m -> sendIfNew(position, m));
    }

    /** Forgets where it stood on a channel it left. */
    synchronized void forget(String channel) {
        positions.remove(channel);
    }

    private void sendIfNew(Position position, Positioned message) {
        if (message.epoch().equals(position.epoch) && message.offset() <= position.delivered) {
            return;
        }
        position.epoch = message.epoch();
        position.delivered = message.offset();
        send(message.frame());
    }

    int queuedFrames() {
        return outbound.depth();
    }

    /** How long this connection's write has waited for its socket; 0 when nothing is in flight. */
    long writePendingNanos(long now) {
        return outbound.writePendingNanos(now);
    }

    /** The client sent a frame: it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos(long now) {
        return now - lastHeardNanos;
    }

    /** Asks the client for a pong (it answers by itself: the WebSocket protocol, not ours). */
    void ping() {
        sink.ping();
    }

    /** Drops what is queued and starts the close handshake. */
    void close(CloseReason reason) {
        outbound.close();
        sink.close(reason);
    }

    /** Gives the client up: what its queue holds is lost. */
    void giveUp(String reason, CloseReason close) {
        outcomes.givenUp(this, reason);
        close(close);
    }

    private void writeFailed(Throwable failure) {
        // The peer is gone (a reset, a closed socket): nothing more can be written to it.
        LOG.log(Level.FINE, "Write to " + id() + " failed; closing it", failure);
        giveUp("write-failed", CloseCodes.slowConsumer("write failed"));
    }
}
