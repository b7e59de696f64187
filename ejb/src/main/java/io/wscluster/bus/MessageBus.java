package io.wscluster.bus;

import io.wscluster.message.Message;

/**
 * Carries each message published on this node to the hub of every node, this one's included. Two
 * implementations: {@link ClusterBus} (Payara clustered CDI events between nodes) and {@link LocalBus}
 * (one node, no cluster); {@link BusSelection} picks one at start-up.
 */
public interface MessageBus {

    /** Delivers here and queues for the other nodes; never blocks on the network. */
    void publish(Message message);
}
