package io.wscluster.web.sse;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.backend.Backend;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.control.UserControl;
import io.wscluster.hub.Connection;
import io.wscluster.hub.Hub;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.protocol.UserIds;
import io.wscluster.registry.LocalNode;
import io.wscluster.security.AuthSettings;
import io.wscluster.security.ChannelPermissions;
import io.wscluster.security.Identity;
import io.wscluster.security.TokenVerifier;
import io.wscluster.web.transport.EventStreams;
import io.wscluster.web.transport.StreamConnection;
import io.wscluster.web.transport.StreamRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The SSE transport: {@code GET /sse?channel=a&channel=b} with the user's token in {@code Authorization:
 * Bearer} (never in the URL), the same permission rules as a socket's subscribe (a channel refused is an
 * {@code error} event naming it; a token refused, a ban or a full node refuse the stream in JSON), and then
 * the channels' messages as events, each connection a hub connection like a socket's (fan-out, slow-consumer policies,
 * presence and affinity alike). {@code Last-Event-ID} resumes: on each channel with history the client is
 * replayed what it missed since the position the id holds, then gets live messages, as a socket that
 * subscribes with {@code since}. The stream lives until the token expires (then a {@code closed} event,
 * 4004), and a comment goes out whenever it has been quiet for {@code wscluster.sse.keep-alive-ms}.
 */
public final class SseStreams implements EventStreams {

    private final Hub hub;
    private final ChannelCatalog channels;
    private final TokenVerifier tokens;
    private final UserControl control;
    private final LocalNode node;
    private final Backend backend;
    private final ScheduledExecutorService timers;
    private final long keepAliveNanos;
    private final Set<StreamSink> open = ConcurrentHashMap.newKeySet();

    public SseStreams(Hub hub, ChannelCatalog channels, TokenVerifier tokens, UserControl control, LocalNode node, Backend backend,
            ScheduledExecutorService timers, long keepAliveMillis) {
        this.hub = hub;
        this.channels = channels;
        this.tokens = tokens;
        this.control = control;
        this.node = node;
        this.backend = backend;
        this.timers = timers;
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
        long every = Math.max(1_000, keepAliveMillis / 3);
        timers.scheduleWithFixedDelay(() -> open.forEach(sink -> sink.keepAlive(keepAliveNanos)), every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void open(StreamRequest request, StreamConnection stream) {
        Identity identity;
        Set<String> wanted;
        try {
            identity = identify(request);
            wanted = channels(request);
            if (!node.acceptsClients()) {
                throw new MessageRejectedException(ErrorCode.UNAVAILABLE, "node " + node.state() + ": connect to another node", 1_000);
            }
        } catch (MessageRejectedException e) {
            refuse(stream, e);
            return;
        }
        if (!backend.decidesConnect()) {
            start(request, stream, identity, wanted);
            return;
        }
        Identity asked = identity;
        backend.connect(identity, "sse", null).whenComplete((decision, failure) -> {
            if (decision != null && decision.allowed()) {
                start(request, stream, decision.applyTo(asked), wanted);
            } else {
                refuse(stream, decision == null ? new MessageRejectedException(ErrorCode.INTERNAL, "server error") : decision.refusal());
            }
        });
    }

    private static void refuse(StreamConnection stream, MessageRejectedException e) {
        stream.refuse(status(e.code()), e.wireCode(), e.getMessage());
    }

    /** The stream of an identity allowed to connect: its head, then its channels' answers and messages. */
    private void start(StreamRequest request, StreamConnection stream, Identity identity, Set<String> wanted) {
        StreamSink sink = new StreamSink("sse-" + UUID.randomUUID(), stream);
        Lifetime lifetime = new Lifetime(sink);
        stream.start(lifetime::ended); // the response's head first: nothing may be written before it
        Connection connection = hub.open(sink, identity.user());
        sink.onWritten(connection::heard);
        if (!lifetime.opened(connection)) {
            return; // the client left already
        }
        Map<String, EventIds.Position> since = EventIds.decode(request.lastEventId());
        for (String channel : wanted) {
            try {
                ChannelOptions options = channels.requireKnown(channel);
                ChannelPermissions.requireSubscribe(identity, channel, options);
                EventIds.Position from = options.keepsHistory() ? since.get(channel) : null;
                Runnable subscribe = () -> hub.subscribe(connection, channel, options,
                        from == null ? null : new Hub.Resume(from.epoch(), from.offset()), started -> {
                            if (started.epoch() != null) {
                                sink.startsAt(channel, started.epoch(), started.offset());
                            }
                            return ServerFrames.subscribed(channel, null, started.epoch(), started.offset(), started.recovered());
                        });
                if (!options.backendSubscribe()) {
                    subscribe.run();
                    continue;
                }
                backend.subscribe(identity, connection.id(), channel).whenComplete((decision, failure) -> {
                    if (decision != null && decision.allowed()) {
                        subscribe.run();
                    } else if (decision != null) {
                        MessageRejectedException e = decision.refusal();
                        connection.send(ServerFrames.refused(channel, e.wireCode(), e.getMessage()));
                    }
                });
            } catch (MessageRejectedException e) {
                // As a socket's subscribe is answered: the channel refused, the stream open for the others.
                connection.send(ServerFrames.refused(channel, e.wireCode(), e.getMessage()));
            }
        }
        expireAt(lifetime, connection, identity);
    }

    /**
     * When the identity's credential expires the stream ends (4004), unless the backend keeps it
     * ({@code wscluster.backend.refresh}): then it lives until the expiry the backend names.
     */
    private void expireAt(Lifetime lifetime, Connection connection, Identity identity) {
        if (identity.expiresAtMillis() == Long.MAX_VALUE) {
            return;
        }
        lifetime.expires(timers.schedule(() -> backend.expired(identity, connection, hub, renewed -> expireAt(lifetime, connection, renewed)),
                Math.max(0, identity.expiresAtMillis() - System.currentTimeMillis()), TimeUnit.MILLISECONDS));
    }

    /** Ends a stream's hub connection once, whether the client leaves before the connection is opened or after. */
    private final class Lifetime {

        private final StreamSink sink;
        private Connection connection;
        private ScheduledFuture<?> expiry;
        private boolean ended;

        Lifetime(StreamSink sink) {
            this.sink = sink;
        }

        /** False if the stream has ended already: the connection is closed at once. */
        synchronized boolean opened(Connection opened) {
            if (ended) {
                hub.closed(opened, 1006);
                return false;
            }
            connection = opened;
            open.add(sink);
            return true;
        }

        synchronized void expires(ScheduledFuture<?> scheduled) {
            expiry = scheduled;
            if (ended) {
                expiry.cancel(false);
            }
        }

        synchronized void ended() {
            ended = true;
            open.remove(sink);
            if (expiry != null) {
                expiry.cancel(false);
            }
            if (connection != null) {
                hub.closed(connection, 1006);
            }
        }
    }

    /** Who the stream is for: its token's user, or anonymous where allowed (the user parameter in development). */
    private Identity identify(StreamRequest request) {
        AuthSettings auth = tokens.settings();
        String authorization = request.authorization();
        Identity identity;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            identity = tokens.verifyClient(authorization.substring(7).strip());
        } else if (auth.userParam() && request.parameters().containsKey("user")) {
            String user = request.parameters().get("user").get(0);
            if (!UserIds.isValid(user)) {
                throw new MessageRejectedException(ErrorCode.INVALID_USER, UserIds.RULE);
            }
            identity = Identity.unverifiedUser(user);
        } else if (auth.anonymous()) {
            identity = Identity.ANONYMOUS;
        } else {
            throw new MessageRejectedException(ErrorCode.UNAUTHORIZED, "an event stream needs Authorization: Bearer with the user's token");
        }
        if (identity.user() != null && control.bannedUntil(identity.user()) > 0) {
            throw new MessageRejectedException(ErrorCode.PERMISSION_DENIED, "the user is banned");
        }
        return identity;
    }

    /**
     * The channels asked for, at most as many as a connection may hold. None is allowed: such a stream gets
     * what the server API sends the user (its messages, the subscriptions it makes).
     */
    private Set<String> channels(StreamRequest request) {
        List<String> asked = request.parameters().getOrDefault("channel", List.of());
        int max = hub.settings().maxSubscriptions();
        if (asked.size() > max) {
            throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "at most " + max + " channels: ?channel=a&channel=b");
        }
        return new LinkedHashSet<>(asked);
    }

    private static int status(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> 401;
            case PERMISSION_DENIED -> 403;
            case UNAVAILABLE -> 503;
            default -> 400;
        };
    }
}
