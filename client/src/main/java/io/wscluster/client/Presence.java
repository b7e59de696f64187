package io.wscluster.client;

import java.util.List;

/**
 * Who is subscribed to a channel that tracks presence, across the cluster.
 *
 * @param count connections subscribed
 * @param users distinct users among them
 * @param complete false when the channel has more subscribers than presence lists (the node's bound)
 */
public record Presence(String channel, int count, int users, boolean complete, List<Member> members) {
}
