package io.wscluster.registry;

import org.infinispan.protostream.annotations.ProtoEnumValue;

/** Where a node is in its life: STARTING -> REGISTERING -> ACTIVE -> LOADING_CHANNELS -> WARMING -> READY, then DRAINING. */
public enum NodeState {
    /** Joining the cluster. */
    @ProtoEnumValue(0) STARTING,
    /** A member; writing its entry to the registry. */
    @ProtoEnumValue(1) REGISTERING,
    /** Registered and heartbeating. */
    @ProtoEnumValue(2) ACTIVE,
    /** Taking the cluster's channel configuration. */
    @ProtoEnumValue(3) LOADING_CHANNELS,
    /** Exercising its own paths with loopback clients before it takes any ({@code wscluster.warmup.*}). */
    @ProtoEnumValue(7) WARMING,
    /** Accepting clients. */
    @ProtoEnumValue(4) READY,
    /** Shutting down: no new clients, existing ones are being moved away. */
    @ProtoEnumValue(5) DRAINING,
    /** The registry cannot be written; retrying with backoff. */
    @ProtoEnumValue(6) DISCONNECTED;

    public boolean acceptsClients() {
        return this == READY;
    }
}
