package io.wscluster.hub;

import org.eclipse.microprofile.config.Config;

/**
 * How this node's hub delivers, from MicroProfile Config.
 *
 * @param outboundQueue {@code wscluster.session.outbound-queue}: frames queued for one client before the
 *     queue counts as full; a client that does not read is then handled by its channel's slow-consumer
 *     policy, while a node that is behind lets it grow to four times this; default 1024
 * @param stallMillis {@code wscluster.session.stall-ms}: a client whose write has waited this long for its
 *     socket does not read; default 1000
 * @param sendTimeoutMillis {@code wscluster.session.send-timeout-ms}: a write waiting this long gives the
 *     client up (4001) even if its queue is not full; default 10000
 * @param idleTimeoutMillis {@code wscluster.session.idle-timeout-ms}: a connection that sends nothing (not
 *     even a ping) for this long is closed with 4002; 0 disables; default 120 s
 * @param maxSubscriptions {@code wscluster.session.max-subscriptions}: channels one connection may
 *     subscribe to; default 100
 * @param maxWriteBytes {@code wscluster.delivery.max-write-bytes}: frames queued for one connection go out
 *     in one write up to this many bytes; default 64 KiB
 * @param writers {@code wscluster.delivery.writers}: threads that write to connections; default the
 *     number of processors, at least 2
 * @param overloadLagMillis {@code wscluster.delivery.overload-lag-ms}: writes starting this late for a
 *     whole second mean the node is behind for everybody: publishers are pushed back and its weight in
 *     the load balancer drops to a tenth until the lag is under half of it; default 1000
 * @param streamGapMillis {@code wscluster.streams.gap-ms}: how long a message of a channel with history
 *     may wait for an earlier one the bus has not brought before the gap is filled from the stream; default 300
 * @param streamReplayWindow {@code wscluster.streams.replay-window}: how many of the last messages this node
 *     released per followed channel it keeps, so a client resuming within them (a failover, a drain) is
 *     replayed exactly what this node's subscribers got, without reading the stream; default 128
 */
public record HubSettings(int outboundQueue, long stallMillis, long sendTimeoutMillis, long idleTimeoutMillis,
        int maxSubscriptions, int maxWriteBytes, int writers, long overloadLagMillis, long streamGapMillis,
        int streamReplayWindow) {

    public static HubSettings from(Config config) {
        return new HubSettings(
                config.getOptionalValue("wscluster.session.outbound-queue", Integer.class).orElse(1024),
                config.getOptionalValue("wscluster.session.stall-ms", Long.class).orElse(1000L),
                config.getOptionalValue("wscluster.session.send-timeout-ms", Long.class).orElse(10_000L),
                config.getOptionalValue("wscluster.session.idle-timeout-ms", Long.class).orElse(120_000L),
                config.getOptionalValue("wscluster.session.max-subscriptions", Integer.class).orElse(100),
                config.getOptionalValue("wscluster.delivery.max-write-bytes", Integer.class).orElse(64 * 1024),
                config.getOptionalValue("wscluster.delivery.writers", Integer.class)
                        .orElse(Math.max(2, Runtime.getRuntime().availableProcessors())),
                config.getOptionalValue("wscluster.delivery.overload-lag-ms", Long.class).orElse(1000L),
                config.getOptionalValue("wscluster.streams.gap-ms", Long.class).orElse(300L),
                config.getOptionalValue("wscluster.streams.replay-window", Integer.class).orElse(128));
    }

    /** For tests: the given queue, generous timeouts, one write per frame budget of 64 KiB. */
    public static HubSettings forTests(int outboundQueue) {
        return new HubSettings(outboundQueue, 1000, 10_000, 0, 100, 64 * 1024, 1, 1000, 300, 128);
    }
}
