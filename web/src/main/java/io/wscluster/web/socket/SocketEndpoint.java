package io.wscluster.web.socket;

import io.wscluster.api.ErrorCode;
import io.wscluster.backend.Backend;
import io.wscluster.backend.Decision;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelNames;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.control.UserControl;
import io.wscluster.hub.Connection;
import io.wscluster.hub.Hub;
import io.wscluster.message.Origin;
import io.wscluster.metrics.Metrics;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.protocol.ClientRequest;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.protocol.ProtocolException;
import io.wscluster.protocol.RequestParser;
import io.wscluster.protocol.RequestType;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.protocol.UserIds;
import io.wscluster.protocol.Utf8;
import io.wscluster.publish.MessagePublisher;
import io.wscluster.registry.LocalNode;
import io.wscluster.security.AuthSettings;
import io.wscluster.security.ChannelPermissions;
import io.wscluster.security.Identity;
import io.wscluster.security.TokenVerifier;
import io.wscluster.web.transport.WireConnection;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint at {@code /ws}: one instance per connection, speaking the JSON protocol of
 * PROTOCOL.md. Every request gets exactly one reply; a client's mistakes get error frames, never a
 * disconnect. A connection proves its user with a token ({@code connect}); until then it may only ping,
 * or act as anonymous where that is allowed, and its frames are held to a smaller size. It is closed when
 * its token expires unrefreshed (4004), when it sends none in time (4005), or when a token names another
 * user (4003). This node's own warm-up clients ({@link Warmup}) act as the server. A programmatic
 * endpoint, registered with this node's own transport ({@link SocketServer}) only: Payara's WebSocket
 * container never sees it.
 */
public class SocketEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(SocketEndpoint.class.getName());

    /** The beans every connection uses, looked up once (see {@link SocketConfigurator#getEndpointInstance}). */
    record Services(Hub hub, MessagePublisher publisher, ChannelCatalog channels, ChannelPresence presence, LocalNode node,
                    Metrics metrics, TokenVerifier tokens, UserControl control, Backend backend, ScheduledExecutorService deadlines,
                    SocketSettings settings, WarmupPass warmup) {
    }

    private final Services services;
    private final WireConnection wire;
    // Guarded by this: a client that gives up during the handshake can make Tyrus run close() while
    // open() is still registering, and a connection registered after its close would stay forever.
    private Connection connection;
    private boolean closed;
    private RateLimiter inbound;
    /** Who the connection is: null until it sent a valid token, unless anonymous connections are allowed. */
    private volatile Identity identity;
    /** The user the client named in the URL (a routing hint for the load balancer); its token must agree. */
    private String userHint;
    /** Closes the connection when its token expires, or when it sends none in time; guarded by this. */
    private ScheduledFuture<?> deadline;

    SocketEndpoint(Services services, WireConnection wire) {
        this.services = services;
        this.wire = wire;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        try {
            open(session);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Refusing " + session.getId() + " failed; the peer is gone", e);
        }
    }

    private void open(Session session) throws IOException {
        List<String> users = session.getRequestParameterMap().get("user");
        String user = users == null || users.isEmpty() ? null : users.get(0);
        // This node's own warm-up client (see Warmup): the server, before the node takes clients.
        boolean warmup = services.warmup().admits(session.getRequestParameterMap().get(WarmupPass.PARAMETER));
        LocalNode node = services.node();
        if (!node.acceptsClients() && !warmup) {
            // Starting, disconnected from the cluster or draining: the client should try another node.
            session.close(new CloseReason(CloseCodes.TRY_AGAIN_LATER, "node " + node.state()));
            return;
        }
        AuthSettings auth = services.tokens().settings();
        if (user != null && !UserIds.isValid(user) || user == null && auth.userParam() && !warmup) {
            session.close(new CloseReason(CloseCodes.POLICY_VIOLATION, "user query parameter: " + UserIds.RULE));
            return;
        }
        userHint = user;
        identity = warmup ? Identity.SERVER : auth.userParam() ? Identity.unverifiedUser(user) : auth.anonymous() ? Identity.ANONYMOUS : null;
        long bannedUntil = user == null ? 0 : services.control().bannedUntil(user);
        if (auth.userParam() && bannedUntil > 0) {
            session.close(CloseCodes.banned(bannedUntil)); // a token would be refused the same way
            return;
        }
        // The transport drops larger messages unread (see FrameScanner). Until the connection has proven a
        // user, anonymous ones included, its limit is the transport's smaller one: its connect frame is tiny.
        int maxBytes = services.publisher().maxBytes();
        session.setMaxTextMessageBufferSize(maxBytes);
        if (auth.userParam() || warmup) {
            wire.limitFrames(maxBytes);
        }
        wire.onSkipped(length -> tooLarge());
        // Tyrus's own idle timeout is off: the hub's idle sweep closes silent connections instead.
        session.setMaxIdleTimeout(0);
        session.addMessageHandler(String.class, this::text);
        session.addMessageHandler(PongMessage.class, this::pong);
        session.addMessageHandler(ByteBuffer.class, this::binary);
        inbound = new RateLimiter(services.settings().maxFramesPerSecond(), System.nanoTime());
        synchronized (this) {
            if (closed) {
                return;
            }
            connection = services.hub().open(new TyrusConnection(session, wire),
                    identity == null ? null : identity.user());
            // The server API's refresh moves the deadline as a refresh frame would.
            connection.onExpiryMoved(this::expireAt);
            if (identity == null) {
                closeAt(System.currentTimeMillis() + auth.connectTimeoutMillis(), CloseCodes.connectTimeout(auth.connectTimeoutMillis()));
            }
        }
        LOG.fine(() -> "Opened " + session.getId() + (user == null ? "" : " for user " + user));
    }

    private void text(String text) {
        Connection connection = registered();
        if (connection == null) {
            return; // refused in open(), or closed; the close is under way
        }
        connection.heard();
        if (Utf8.exceeds(text, services.publisher().maxBytes())) {
            // A compressed frame (permessage-deflate) within the limit may inflate past it.
            tooLarge();
            return;
        }
        ClientRequest request;
        try {
            request = RequestParser.parse(text);
        } catch (ProtocolException e) {
            sendError(e.code(), e.getMessage(), e.ref());
            return;
        }
        if (!inbound.tryAcquire(System.nanoTime())) {
            sendError(ErrorCode.RATE_LIMITED, "more than " + services.settings().maxFramesPerSecond()
                    + " frames per second; frame dropped", request.ref());
            return;
        }
        wire.handle(() -> respond(connection, request), mayWait(request));
    }

    private void respond(Connection connection, ClientRequest request) {
        try {
            String reply = handle(request);
            if (reply == null) {
                return;
            }
            if (wire.onWorker()) {
                connection.send(reply); // a large read's many replies go out together, by the write pool
            } else {
                connection.reply(reply); // on the reading thread, at once: no hand-over for a pong
            }
        } catch (RuntimeException e) {
            replyFailed(request, e);
        }
    }

    /**
     * Whether handling the request may wait on other nodes (a publish, a presence query, a subscription that
     * reads a channel's history): then it runs on a worker thread, not on the thread that reads the frames.
     */
    private boolean mayWait(ClientRequest request) {
        return switch (request.type()) {
            case PING, CONNECT, REFRESH, UNSUBSCRIBE -> false;
            case SUBSCRIBE -> services.channels().options(request.channel()).keepsHistory();
            case PUBLISH, PRESENCE -> true;
        };
    }

    /** The one reply to a request that failed: its rejection, or INTERNAL for anything unexpected. */
    private void replyFailed(ClientRequest request, Throwable failure) {
        if (failure instanceof MessageRejectedException e) {
            services.metrics().error(e.code());
            connection.send(ServerFrames.error(e.wireCode(), e.getMessage(), request.ref(), e.retryAfterMillis()));
        } else {
            LOG.log(Level.WARNING, "Request " + request.type() + " from " + connection.id() + " failed", failure);
            sendError(ErrorCode.INTERNAL, "server error", request.ref());
        }
    }

    /** A frame larger than the limit, which the transport skipped (or inflated past it): the connection stays. */
    private void tooLarge() {
        Connection connection = registered();
        if (connection != null) {
            connection.heard();
            sendError(ErrorCode.MESSAGE_TOO_LARGE, "frame is larger than " + wire.frameLimit() + " bytes", null);
        }
    }

    /** The answer to a ping of ours (see {@code IdleSweep}): the client is there. */
    private void pong(PongMessage pong) {
        Connection connection = registered();
        if (connection != null) {
            connection.heard();
        }
    }

    private void binary(ByteBuffer data) {
        Connection connection = registered();
        if (connection != null) {
            connection.heard();
            sendError(ErrorCode.UNSUPPORTED_DATA, "binary frames are not supported; send JSON text", null);
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Connection connection;
        synchronized (this) {
            closed = true;
            connection = this.connection;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
        if (connection != null) {
            services.hub().closed(connection, reason.getCloseCode().getCode());
            LOG.fine(() -> "Closed " + session.getId() + ": " + reason);
        }
    }

    private synchronized Connection registered() {
        return connection;
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // Peers vanishing and oversized frames are the clients' business, not the operator's.
        LOG.log(Level.FINE, "Connection " + session.getId() + " failed", failure);
    }

    private void sendError(ErrorCode code, String text, JsonValue ref) {
        services.metrics().error(code);
        connection.send(ServerFrames.error(code, text, ref));
    }

    /** Closes the connection at {@code atMillis} (replacing an earlier deadline), unless it has closed by then. */
    private void closeAt(long atMillis, CloseReason reason) {
        at(atMillis, () -> services.hub().close(connection, reason));
    }

    /** At {@code atMillis} the credential expires: the connection closes (4004), or lives on if the backend says so. */
    private void expireAt(long atMillis) {
        at(atMillis, this::expired);
    }

    /** Runs {@code action} at {@code atMillis} instead of an earlier deadline's, unless the connection has closed by then. */
    private synchronized void at(long atMillis, Runnable action) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (closed) {
            return; // a token verified just as the connection closed: nothing left to time out
        }
        deadline = atMillis == Long.MAX_VALUE ? null : services.deadlines().schedule(action,
                Math.max(0, atMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** The credential expired: the backend may keep the connection (wscluster.backend.refresh), else it closes. */
    private void expired() {
        services.backend().expired(identity, connection, services.hub(), renewed -> {
            identity = renewed;
            expireAt(renewed.expiresAtMillis());
        });
    }

    /** The identity to act as; UNAUTHORIZED while the connection has sent no valid token and anonymous is not allowed. */
    private Identity actor() {
        Identity who = identity;
        if (who == null) {
            throw new MessageRejectedException(ErrorCode.UNAUTHORIZED, "send connect with a token first");
        }
        return who;
    }

    /** A valid token for this connection's user (or its first): the connection becomes that user's until it expires. */
    private String authenticate(ClientRequest request) {
        Identity proven = services.tokens().verifyClient(request.token());
        Identity current = identity;
        String known = current != null && current.user() != null ? current.user() : userHint;
        if (known != null && !known.equals(proven.user())) {
            services.hub().close(connection, CloseCodes.unauthorized("the token is for another user"));
            throw new MessageRejectedException(ErrorCode.UNAUTHORIZED, "the token is for another user than this connection's");
        }
        if (request.type() == RequestType.REFRESH && (current == null || current.user() == null)) {
            throw new MessageRejectedException(ErrorCode.UNAUTHORIZED, "nothing to refresh: send connect first");
        }
        long bannedUntil = services.control().bannedUntil(proven.user());
        if (bannedUntil > 0) {
            services.hub().close(connection, CloseCodes.banned(bannedUntil));
            throw new MessageRejectedException(ErrorCode.UNAUTHORIZED, "the user is banned");
        }
        if (request.type() == RequestType.CONNECT && services.backend().decidesConnect()) {
            // The application's backend decides; the reply follows its answer.
            services.backend().connect(proven, "websocket", connection.id()).whenComplete((decision, failure) -> {
                if (decision != null && decision.allowed()) {
                    connection.send(accept(request, decision.applyTo(proven)));
                } else {
                    replyFailed(request, decision == null ? failure : decision.refusal());
                }
            });
            return null;
        }
        return accept(request, proven);
    }

    /** The connection is the identity's now: its reply, {@code connected} or {@code refreshed}. */
    private String accept(ClientRequest request, Identity proven) {
        identity = proven;
        wire.limitFrames(services.publisher().maxBytes());
        services.hub().identify(connection, proven.user());
        expireAt(proven.expiresAtMillis());
        return ServerFrames.connected(request.type() == RequestType.CONNECT ? "connected" : "refreshed", proven.user(),
                proven.expiresAtMillis(), request.ref());
    }

    /**
     * Runs {@code action} now, or once the backend allowed it when the channel asks the backend; a refusal
     * is the request's reply.
     */
    private void decided(ClientRequest request, boolean asksBackend, Function<Backend, CompletionStage<Decision>> ask,
            Consumer<Decision> action) {
        if (!asksBackend) {
            action.accept(Decision.ALLOW);
            return;
        }
        ask.apply(services.backend()).whenComplete((decision, failure) -> {
            try {
                if (decision == null || !decision.allowed()) {
                    throw decision == null ? new IllegalStateException(failure) : decision.refusal();
                }
                action.accept(decision);
            } catch (RuntimeException e) {
                replyFailed(request, e);
            }
        });
    }

    /**
     * Publishes a request's data (or what the backend gave instead). Answered when sent: on a channel with
     * history, once two nodes hold it. The connection reads on meanwhile; its publishes to one channel keep
     * their order (ChannelHistory).
     */
    private void publish(ClientRequest request, JsonValue data) {
        services.publisher().publish(request.channel(), data, Origin.SOCKET, request.priority(), request.key(), request.idempotencyKey())
                .whenComplete((message, failure) -> {
                    if (failure == null) {
                        connection.send(ServerFrames.published(message.id(), request.ref(), message.epoch(), message.offset()));
                    } else {
                        replyFailed(request, failure instanceof CompletionException ? failure.getCause() : failure);
                    }
                });
    }

    /** The reply to the request; null when it comes later (a subscribe: before what it replays; a publish: once sent). */
    private String handle(ClientRequest request) {
        return switch (request.type()) {
            case PING -> ServerFrames.pong(request.ref());
            case CONNECT, REFRESH -> authenticate(request);
            case SUBSCRIBE -> {
                ChannelOptions options = services.channels().requireKnown(request.channel());
                Identity who = actor();
                ChannelPermissions.requireSubscribe(who, request.channel(), options);
                Hub.Resume resume = request.since() == null ? null : new Hub.Resume(request.since().epoch(), request.since().offset());
                decided(request, options.backendSubscribe(), backend -> backend.subscribe(who, connection.id(), request.channel()),
                        decision -> services.hub().subscribe(connection, request.channel(), options, resume, started ->
                                ServerFrames.subscribed(request.channel(), request.ref(), started.epoch(), started.offset(), started.recovered())));
                yield null;
            }
            case UNSUBSCRIBE -> {
                ChannelNames.requireValid(request.channel());
                services.hub().unsubscribe(connection, request.channel());
                yield ServerFrames.unsubscribed(request.channel(), request.ref());
            }
            case PRESENCE -> {
                ChannelOptions options = services.channels().requireKnown(request.channel());
                ChannelPermissions.requireSubscribe(actor(), request.channel(), options);
                ChannelPresence.Snapshot presence = services.presence().of(request.channel(), options);
                yield ServerFrames.presence(request.channel(), request.ref(), presence.entries(), presence.users(), presence.complete());
            }
            case PUBLISH -> {
                ChannelOptions options = services.channels().requireKnown(request.channel());
                Identity who = actor();
                ChannelPermissions.requirePublish(who, request.channel(), options);
                decided(request, options.backendPublish(), backend -> backend.publish(who, connection.id(), request.channel(), request.data()),
                        decision -> publish(request, decision.data() == null ? request.data() : decision.data()));
                yield null;
            }
        };
    }
}
