package io.wscluster.api;

import java.io.Serializable;

/**
 * A channel as the cluster has it now ({@link BroadcastService#channelInfo}).
 *
 * @param subscribers connections subscribed across the cluster, each node counted when it answered
 * @param presenceConnections and {@code presenceUsers}: who is present, on a channel that tracks presence; -1 otherwise
 * @param epoch and {@code offset}: where the channel's stream stands, on a channel that keeps history (the
 *     epoch null until its first message); null and 0 otherwise
 */
public record ChannelInfo(String channel, int subscribers, int presenceConnections, long presenceUsers, String epoch, long offset)
        implements Serializable {
}
