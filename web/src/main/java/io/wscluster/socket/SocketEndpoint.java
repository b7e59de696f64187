package io.wscluster.socket;

import io.wscluster.broadcast.Message;
import io.wscluster.broadcast.MessagePublisher;
import io.wscluster.broadcast.MessageRejectedException;
import io.wscluster.broadcast.Origin;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelNames;
import io.wscluster.protocol.ErrorCode;
import io.wscluster.ops.NodeMetrics;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.protocol.UserIds;
import io.wscluster.protocol.Utf8;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint at {@code /ws?user=ID}: one instance per connection, speaking the JSON
 * protocol of PROTOCOL.md. Every request gets exactly one reply; a client's mistakes get error
 * frames, never a disconnect.
 */
@ServerEndpoint(value = "/ws", configurator = SocketConfigurator.class)
public class SocketEndpoint {

    private static final Logger LOG = Logger.getLogger(SocketEndpoint.class.getName());
    /** Tyrus's incoming frame buffer (4 MiB): frames larger than this never reach the application. */
    static final int HARD_LIMIT_BYTES = 4 * 1024 * 1024;

    private final ConnectionRegistry connections;
    private final MessagePublisher publisher;
    private final ChannelCatalog channels;
    private final SocketSettings settings;
    private final NodeRegistry registry;
    private final NodeMetrics metrics;
    private final SessionTimers timers;

    private Connection connection;

    /** The beans every connection uses, looked up once (see {@link SocketConfigurator#getEndpointInstance}). */
    record Services(ConnectionRegistry connections, MessagePublisher publisher, ChannelCatalog channels,
                    SocketSettings settings, NodeRegistry registry, NodeMetrics metrics, SessionTimers timers) {
    }

    SocketEndpoint(Services services) {
        this.connections = services.connections();
        this.publisher = services.publisher();
        this.channels = services.channels();
        this.settings = services.settings();
        this.registry = services.registry();
        this.metrics = services.metrics();
        this.timers = services.timers();
    }

    @OnOpen
    public void open(Session session) throws IOException {
        List<String> users = session.getRequestParameterMap().get("user");
        String user = users == null || users.isEmpty() ? null : users.get(0);
        if (!registry.localState().acceptsClients()) {
            // Starting, disconnected from the cluster or draining: the client should try another node.
            session.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "node " + registry.localState()));
            return;
        }
        if (!UserIds.isValid(user)) {
            session.close(new CloseReason(Closes.POLICY_VIOLATION,
                    "user query parameter required: 1-" + UserIds.MAX_LENGTH + " of letters, digits and . _ - @ :"));
            return;
        }
        // The hard cap: messages sent in fragments are reassembled up to the same 4 MiB that bounds a
        // single frame in the container; beyond it the connection is closed. Below it, text() answers
        // anything over wscluster.message.max-bytes with an error frame.
        session.setMaxTextMessageBufferSize(HARD_LIMIT_BYTES);
        // Tyrus's own idle timeout is off (ConnectionRegistry sweeps instead), but Tyrus still reschedules
        // its task for every frame: on a plain scheduler, not Payara's managed one (see SessionTimers).
        timers.adopt(session);
        session.setMaxIdleTimeout(0);
        // A client given up on leaves the fan-out index at once, not when its close handshake ends
        // (a client that reads nothing may never complete it).
        connection = new Connection(session, user, settings, () -> {
            metrics.dropped("slow-consumer", connection.queuedFrames());
            connections.remove(connection);
        });
        connections.add(connection);
        metrics.connectionOpened();
        LOG.fine(() -> "Opened " + session.getId() + " for user " + user);
    }

    @OnMessage
    public void text(String text) {
        if (connection == null) {
            return; // refused in open(); the close is under way
        }
        connection.heard();
        if (Utf8.exceeds(text, settings.maxFrameBytes())) {
            // Checked before parsing so an oversized frame costs no JSON work; the connection stays open.
            sendError(ErrorCode.MESSAGE_TOO_LARGE,
                    "frame is larger than " + settings.maxFrameBytes() + " bytes", null);
            return;
        }
        ClientRequest request;
        try {
            request = RequestParser.parse(text);
        } catch (ProtocolException e) {
            sendError(e.code(), e.getMessage(), e.ref());
            return;
        }
        if (!connection.tryAcceptFrame()) {
            sendError(ErrorCode.RATE_LIMITED,
                    "more than " + settings.maxFramesPerSecond() + " frames per second; frame dropped", request.ref());
            return;
        }
        try {
            connection.send(handle(request));
        } catch (MessageRejectedException e) {
            sendError(e.code(), e.getMessage(), request.ref());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Request " + request.type() + " from " + connection.id() + " failed", e);
            sendError(ErrorCode.INTERNAL, "server error", request.ref());
        }
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        if (connection != null) {
            connection.heard();
            sendError(ErrorCode.UNSUPPORTED_DATA, "binary frames are not supported; send JSON text", null);
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (connection != null) {
            metrics.connectionClosed(reason.getCloseCode().getCode());
            connections.removeAndClose(connection, reason); // drops its queue
            LOG.fine(() -> "Closed " + session.getId() + ": " + reason);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // Peers vanishing and oversized frames are the clients' business, not the operator's.
        LOG.log(Level.FINE, "Connection " + session.getId() + " failed", failure);
    }

    private void sendError(ErrorCode code, String text, JsonValue ref) {
        metrics.error(code);
        connection.send(ServerFrames.error(code, text, ref));
    }

    private String handle(ClientRequest request) {
        return switch (request.type()) {
            case PING -> ServerFrames.pong(request.ref());
            case SUBSCRIBE -> subscribe(request);
            case UNSUBSCRIBE -> unsubscribe(request);
            case PUBLISH -> {
                Message message = publisher.publish(request.channel(), request.data(), Origin.SOCKET, request.priority());
                yield ServerFrames.published(message.id(), request.ref());
            }
        };
    }

    private String subscribe(ClientRequest request) {
        String channel = request.channel();
        channels.requireKnown(channel);
        if (!connection.channels().contains(channel) && connection.channels().size() >= settings.maxSubscriptions()) {
            throw new MessageRejectedException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + settings.maxSubscriptions() + " subscriptions per connection");
        }
        connections.subscribe(connection, channel);
        return ServerFrames.subscribed(channel, request.ref());
    }

    private String unsubscribe(ClientRequest request) {
        String channel = request.channel();
        ChannelNames.requireValid(channel);
        connections.unsubscribe(connection, channel); // idempotent: not subscribed is fine
        return ServerFrames.unsubscribed(channel, request.ref());
    }
}
