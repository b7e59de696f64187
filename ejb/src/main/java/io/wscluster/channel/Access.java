package io.wscluster.channel;

import java.util.Arrays;
import java.util.Locale;

/** Who may subscribe to, or publish on, a channel ({@code subscribe=} and {@code publish=} channel options). */
public enum Access {
    /** Anyone, connections without a token included (where anonymous connections are allowed at all). */
    ANONYMOUS,
    /** Any connection with a valid token: the default. */
    AUTHENTICATED,
    /** Connections whose token grants the channel (its {@code channels} claim names it or a pattern matching it). */
    GRANTED,
    /** No client: only the server API (REST with an API key or a server token, the EJB). For publishing. */
    SERVER;

    /** The configuration name: {@code anonymous}, {@code authenticated}, {@code granted}, {@code server}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Access fromWire(String option, String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(option + " is one of anonymous, authenticated, granted, server, not '" + name + "'"));
    }
}
