package io.wscluster.affinity;

import org.infinispan.protostream.annotations.ProtoField;

/**
 * Which node a user is connected to. A released entry (the user's last connection there closed, or
 * the node died) is kept for a while so a reconnect can still be routed back; then it expires.
 */
public record UserAffinity(
        @ProtoField(1) String user,
        @ProtoField(2) String nodeId,
        @ProtoField(value = 3, defaultValue = "0") long connectedSince,
        @ProtoField(value = 4, defaultValue = "0") long lastSeen,
        @ProtoField(value = 5, defaultValue = "false") boolean released) {
}
