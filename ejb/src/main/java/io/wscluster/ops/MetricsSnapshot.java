package io.wscluster.ops;

import org.infinispan.protostream.annotations.ProtoField;

/** One node's key figures at one moment, kept in the cluster-wide history for the history window. */
public record MetricsSnapshot(
        @ProtoField(1) String node,
        @ProtoField(value = 2, defaultValue = "0") long timestamp,
        @ProtoField(value = 3, defaultValue = "0") int connections,
        @ProtoField(value = 4, defaultValue = "0") int subscriptions,
        @ProtoField(value = 5, defaultValue = "0") double publishedPerSecond,
        @ProtoField(value = 6, defaultValue = "0") double deliveredPerSecond,
        @ProtoField(value = 7, defaultValue = "0") long latencyMicros) {
}
