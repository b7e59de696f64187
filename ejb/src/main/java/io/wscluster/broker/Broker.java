package io.wscluster.broker;

import io.wscluster.channel.ChannelOptions;
import io.wscluster.message.UserCommand;
import io.wscluster.history.StreamReader;
import io.wscluster.message.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The one seam between a node and everything of the cluster's that messages need, as centrifuge's broker:
 * a publish is stored (on a channel that keeps history) and fanned out to every node's hub, this one's
 * included; channels' streams are read; the server API's commands reach every node's connections.
 * {@link ClusterBroker} is the cluster's (Infinispan streams, Payara clustered CDI events),
 * {@link MemoryBroker} a node's alone; {@link BrokerSelection} picks one at start-up.
 */
public interface Broker extends StreamReader {

    /**
     * Stores and fans out; never blocks on the network. Completes with the message (at its position, on a
     * channel that keeps history, once two nodes hold it), or with a
     * {@link io.wscluster.api.MessageRejectedException} when it could not be stored.
     */
    CompletableFuture<Message> publish(Message message, ChannelOptions options);

    /** Carries a command about a user's connections to every node, this one's included. */
    void command(UserCommand command);

    /** The connections subscribed to the channel across the cluster, each node counted once. */
    CompletableFuture<Integer> subscribers(String channel);
}
