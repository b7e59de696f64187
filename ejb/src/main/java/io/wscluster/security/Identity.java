package io.wscluster.security;

import io.wscluster.channel.ChannelRules;
import java.util.List;

/**
 * Who is behind a connection or an API call: a user (from a verified token, or the development-only user
 * parameter), anonymous, or the server itself (API key, server token, the EJB).
 *
 * @param user the user id; null for anonymous and for the server
 * @param expiresAtMillis when the credential expires (epoch millis); {@link Long#MAX_VALUE} for none
 * @param grants the channel names and {@code *} patterns the token grants (its {@code channels} claim)
 * @param server whether this is the server (may publish anywhere)
 */
public record Identity(String user, long expiresAtMillis, ChannelRules grants, boolean server) {

    private static final ChannelRules NONE = ChannelRules.of(List.of());
    public static final Identity ANONYMOUS = new Identity(null, Long.MAX_VALUE, NONE, false);
    public static final Identity SERVER = new Identity(null, Long.MAX_VALUE, NONE, true);

    /** A user known without a token (the development-only user parameter): no expiry, no grants. */
    public static Identity unverifiedUser(String user) {
        return new Identity(user, Long.MAX_VALUE, NONE, false);
    }

    public boolean anonymous() {
        return user == null && !server;
    }
}
