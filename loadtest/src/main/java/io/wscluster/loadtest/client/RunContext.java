package io.wscluster.loadtest.client;

import io.wscluster.loadtest.measure.MessageId;
import io.wscluster.loadtest.measure.Tallies;
import io.wscluster.loadtest.client.ChannelMix;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/** What every connection of one worker process shares: where to connect, what to count, the run's clock marks. */
public final class RunContext {

    public final Connector connector;
    public final Tallies tallies;
    public final ChannelMix channels;
    /** Marks this run's messages, so leftovers of an earlier run on the same cluster are ignored. */
    public final long runId;
    public final int publishers;
    /**
     * Messages the cluster accepted, by channel (a socket publish once its {@code published} reply arrives, a
     * REST publish on 202): what subscribers are expected to receive. A refused publish (the cluster pushing
     * back) is not a lost message.
     */
    public final AtomicLongArray accepted;
    /**
     * The messages this process published and the cluster has not acknowledged (yet): refused, failed, or
     * sent to a node that died before it answered. At the end they are gaps, not losses.
     */
    public final Set<MessageId> unacknowledged = ConcurrentHashMap.newKeySet();
    /** Every connection's way back after each loss. */
    public final Queue<Reconnection> reconnections = new ConcurrentLinkedQueue<>();
    /** Latencies are recorded from this moment (after the warm-up); before publishing, never. */
    public volatile long measureFromMicros = Long.MAX_VALUE;
    /** When a node is to be killed (epoch microseconds, told before the kill), or 0: connections lost after it are "affected". */
    public volatile long killedAtMicros;
    public volatile boolean stopping;
    public final Credentials credentials;
    /** Every connection pings this often, and gives up on its socket when nothing came for twice as long. */
    public final long heartbeatMillis;
    /** Bounds this process's connection attempts in flight (none by default). */
    public final Admission admission;

    public RunContext(Connector connector, Tallies tallies, ChannelMix channels, long runId, int publishers, Credentials credentials,
            long heartbeatMillis, int maxInFlight) {
        this.heartbeatMillis = heartbeatMillis;
        this.admission = new Admission(maxInFlight, connector.group());
        this.connector = connector;
        this.credentials = credentials;
        this.tallies = tallies;
        this.channels = channels;
        this.runId = runId;
        this.publishers = publishers;
        this.accepted = new AtomicLongArray(channels.size());
    }
}
