package io.wscluster.security;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.Access;
import io.wscluster.channel.ChannelNames;
import io.wscluster.channel.ChannelOptions;
import java.util.Optional;

/** Whether an identity may subscribe to or publish on a channel, by the channel's options and its owner ({@code #user}). */
public final class ChannelPermissions {

    private ChannelPermissions() {
    }

    /** @throws MessageRejectedException UNAUTHORIZED (a token is needed) or PERMISSION_DENIED */
    public static void requireSubscribe(Identity identity, String channel, ChannelOptions options) {
        require(identity, channel, options.subscribe(), "subscribe to");
    }

    /** @throws MessageRejectedException UNAUTHORIZED (a token is needed) or PERMISSION_DENIED */
    public static void requirePublish(Identity identity, String channel, ChannelOptions options) {
        require(identity, channel, options.publish(), "publish on");
    }

    private static void require(Identity identity, String channel, Access access, String what) {
        if (identity.server()) {
            return;
        }
        Optional<String> owner = ChannelNames.owner(channel);
        if (owner.isPresent()) {
            if (identity.anonymous()) {
                throw unauthorized(what, channel);
            }
            if (!owner.get().equals(identity.user())) {
                throw denied(what, channel, "it belongs to another user");
            }
            if (access != Access.SERVER) {
                return; // a user's own channel is theirs, whatever the pattern's access says
            }
        }
        switch (access) {
            case ANONYMOUS -> { }
            case AUTHENTICATED -> {
                if (identity.anonymous()) {
                    throw unauthorized(what, channel);
                }
            }
            case GRANTED -> {
                if (identity.anonymous()) {
                    throw unauthorized(what, channel);
                }
                if (!identity.grants().allows(channel)) {
                    throw denied(what, channel, "the token does not grant it");
                }
            }
            case SERVER -> throw denied(what, channel, "only the server API may");
        }
    }

    private static MessageRejectedException unauthorized(String what, String channel) {
        return new MessageRejectedException(ErrorCode.UNAUTHORIZED, "a token is needed to " + what + " " + channel);
    }

    private static MessageRejectedException denied(String what, String channel, String why) {
        return new MessageRejectedException(ErrorCode.PERMISSION_DENIED, "may not " + what + " " + channel + ": " + why);
    }
}
