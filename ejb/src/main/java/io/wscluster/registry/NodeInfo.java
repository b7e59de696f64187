package io.wscluster.registry;

import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * One node's entry in the registry, rewritten on every heartbeat. (Field 2 held a display name that was
 * always the id; it stays unused so older entries still read.)
 *
 * @param latencyMicros recent mean publish-to-deliver latency of messages from other nodes, microseconds
 * @param weight relative capacity for weighted node selection
 * @param channels the channels with the most subscribers on this node, with their counts
 * @param lagMillis how late this node's writes to its clients start (see the hub's write pool): its delivery lag
 * @param overloaded whether it has been that late for long enough to count as behind for everybody
 */
public record NodeInfo(
        @ProtoField(1) String id,
        @ProtoField(3) String httpUrl,
        @ProtoField(4) String wsUrl,
        @ProtoField(5) NodeState state,
        @ProtoField(value = 6, defaultValue = "0") int connections,
        @ProtoField(value = 7, defaultValue = "0") int subscriptions,
        @ProtoField(value = 8, defaultValue = "0") double publishedPerSecond,
        @ProtoField(value = 9, defaultValue = "0") double deliveredPerSecond,
        @ProtoField(value = 10, defaultValue = "0") long startedAt,
        @ProtoField(value = 11, defaultValue = "0") long lastHeartbeat,
        @ProtoField(value = 12, defaultValue = "100") int weight,
        @ProtoField(value = 13, defaultValue = "0") long latencyMicros,
        @ProtoField(14) List<ChannelCount> channels,
        @ProtoField(value = 15, defaultValue = "0") long lagMillis,
        @ProtoField(value = 16, defaultValue = "false") boolean overloaded) {
}
