package io.wscluster.broker;

import io.wscluster.bus.ClusterBus;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.message.UserCommand;
import io.wscluster.history.ChannelHistory;
import io.wscluster.history.ReadSince;
import io.wscluster.history.StreamSlice;
import io.wscluster.hub.SubscriberCount;
import io.wscluster.message.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's broker: streams in the distributed {@code streams} cache ({@link ChannelHistory}), messages
 * and commands to the other nodes as Payara clustered CDI events ({@link ClusterBus}), counts gathered from
 * every node ({@link SubscriberCount}).
 */
@ApplicationScoped
@Typed(ClusterBroker.class)
public class ClusterBroker implements Broker {

    @Inject
    ChannelHistory history;

    @Inject
    ClusterBus bus;

    @Inject
    SubscriberCount counts;

    @Override
    public CompletableFuture<Message> publish(Message message, ChannelOptions options) {
        if (!message.isDirect() && options.keepsHistory()) {
            return history.append(message, options, bus::publish);
        }
        bus.publish(message);
        return CompletableFuture.completedFuture(message);
    }

    @Override
    public StreamSlice read(String channel, ReadSince read) {
        return history.read(channel, read);
    }

    @Override
    public void command(UserCommand command) {
        bus.command(command);
    }

    @Override
    public CompletableFuture<Integer> subscribers(String channel) {
        return counts.acrossCluster(channel);
    }
}
