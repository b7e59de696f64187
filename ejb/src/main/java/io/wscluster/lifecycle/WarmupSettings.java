package io.wscluster.lifecycle;

import org.eclipse.microprofile.config.Config;

/**
 * A node's warm-up before it turns READY, from MicroProfile Config: rounds of loopback clients that connect
 * to its own {@code /ws}, subscribe to a channel of its own and receive what they publish there, so the
 * paths every client takes are compiled before the first client arrives.
 *
 * @param rounds {@code wscluster.warmup.rounds}: how many times the clients connect, exchange and leave;
 *     default 10; 0 turns the warm-up off (the node is READY as soon as it has the channel configuration)
 * @param connections {@code wscluster.warmup.connections}: clients per round; default 20
 * @param messages {@code wscluster.warmup.messages}: messages published per round, each to every client of
 *     the round; default 50
 * @param maxMillis {@code wscluster.warmup.max-ms}: the longest the warm-up may take; the node is READY then,
 *     however far it got; default 15000
 */
public record WarmupSettings(int rounds, int connections, int messages, long maxMillis) {

    public static WarmupSettings from(Config config) {
        return new WarmupSettings(
                config.getOptionalValue("wscluster.warmup.rounds", Integer.class).orElse(10),
                config.getOptionalValue("wscluster.warmup.connections", Integer.class).orElse(20),
                config.getOptionalValue("wscluster.warmup.messages", Integer.class).orElse(50),
                config.getOptionalValue("wscluster.warmup.max-ms", Long.class).orElse(15_000L));
    }

    public boolean enabled() {
        return rounds > 0 && connections > 0;
    }
}
