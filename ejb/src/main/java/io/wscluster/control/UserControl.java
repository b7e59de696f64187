package io.wscluster.control;

import io.wscluster.api.ChannelInfo;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.broker.Broker;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelNames;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.history.StreamSlice;
import io.wscluster.message.UserCommand;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.protocol.UserIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The server API's hold on users and channels, whichever node it is called on (REST with the server key, or
 * the broadcast EJB): disconnect (and ban), unsubscribe, subscribe and refresh a user's connections on every
 * node, and a channel's standing across the cluster. Checks its arguments; the {@link Broker} carries each
 * command to every node's hub.
 */
@ApplicationScoped
public class UserControl {

    /** A close frame's reason is at most 123 bytes (RFC 6455, 5.5). */
    private static final int MAX_REASON_BYTES = 123;

    @Inject
    Broker broker;

    @Inject
    Bans bans;

    @Inject
    ChannelCatalog channels;

    @Inject
    ChannelPresence presence;

    /**
     * Closes every connection of the user with {@code closeCode} (4100-4499 final, 4500-4999 the clients
     * reconnect) and {@code reason}; with {@code banSeconds} above 0, refuses the user that long first and
     * closes with 4006.
     */
    public void disconnect(String user, int closeCode, String reason, long banSeconds) {
        requireUser(user);
        if (closeCode < CloseCodes.DISCONNECT_FIRST || closeCode > CloseCodes.DISCONNECT_LAST) {
            throw invalid("code must be " + CloseCodes.DISCONNECT_FIRST + " to " + CloseCodes.DISCONNECT_LAST
                    + " (up to 4499 the clients do not reconnect)");
        }
        String text = reason == null ? "disconnected by the server" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw invalid("reason must be at most " + MAX_REASON_BYTES + " bytes");
        }
        if (banSeconds < 0) {
            throw invalid("banSeconds must be 0 or more");
        }
        if (banSeconds > 0) {
            bans.ban(user, banSeconds);
            broker.command(UserCommand.disconnect(user, CloseCodes.BANNED.getCode(), CloseCodes.banned(bans.bannedUntil(user)).getReasonPhrase()));
        } else {
            broker.command(UserCommand.disconnect(user, closeCode, text));
        }
    }

    /** Takes every connection of the user off the channel. */
    public void unsubscribe(String user, String channel) {
        requireUser(user);
        ChannelNames.requireValid(channel);
        broker.command(UserCommand.unsubscribe(user, channel));
    }

    /**
     * Puts every connection of the user on the channel, as if each had asked, whatever the channel's rules:
     * the server decides. On a channel with history, from {@code epoch} and {@code offset} if given (null
     * epoch: from now).
     */
    public void subscribe(String user, String channel, String epoch, long offset) {
        requireUser(user);
        channels.requireKnown(channel);
        if (epoch != null && offset < 0) {
            throw invalid("since.offset must be 0 or more");
        }
        broker.command(UserCommand.subscribe(user, channel, epoch, offset));
    }

    /** Moves the expiry of every connection of the user to {@code expiresAtMillis}, which must be ahead. */
    public void refresh(String user, long expiresAtMillis) {
        requireUser(user);
        if (expiresAtMillis <= System.currentTimeMillis()) {
            throw invalid("expiresAt must be in the future (epoch milliseconds)");
        }
        broker.command(UserCommand.refresh(user, expiresAtMillis));
    }

    /** Whether a connection of the user may authenticate now: until when it is banned, or 0. */
    public long bannedUntil(String user) {
        return bans.bannedUntil(user);
    }

    /** The channel's subscribers across the cluster, its presence (where tracked) and its stream's position (where kept). */
    public CompletableFuture<ChannelInfo> info(String channel) {
        ChannelOptions options = channels.requireKnown(channel);
        int presenceConnections = -1;
        long presenceUsers = -1;
        if (options.presence()) {
            ChannelPresence.Snapshot snapshot = presence.of(channel, options);
            presenceConnections = snapshot.entries().size();
            presenceUsers = snapshot.users();
        }
        StreamSlice stream = options.keepsHistory() ? broker.latest(channel, 0) : null;
        int connections = presenceConnections;
        long users = presenceUsers;
        return broker.subscribers(channel).thenApply(subscribers -> new ChannelInfo(channel, subscribers, connections, users,
                stream == null ? null : stream.epoch(), stream == null ? 0 : stream.offset()));
    }

    private static void requireUser(String user) {
        if (!UserIds.isValid(user)) {
            throw new MessageRejectedException(ErrorCode.INVALID_USER, UserIds.RULE);
        }
    }

    private static MessageRejectedException invalid(String why) {
        return new MessageRejectedException(ErrorCode.INVALID_FIELD, why);
    }
}
