package io.wscluster.presence;

import org.infinispan.protostream.annotations.ProtoField;

/** One connection subscribed to a channel that tracks presence: who, on which node, since when (epoch millis). */
public record PresenceEntry(
        @ProtoField(1) String user,
        @ProtoField(2) String connection,
        @ProtoField(3) String node,
        @ProtoField(value = 4, defaultValue = "0") long since) {
}
