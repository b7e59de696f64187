package io.wscluster.broker;

import io.wscluster.channel.ChannelOptions;
import io.wscluster.message.UserCommand;
import io.wscluster.history.MemoryStreams;
import io.wscluster.history.ReadSince;
import io.wscluster.history.StreamSlice;
import io.wscluster.hub.Hub;
import io.wscluster.message.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;

/** The broker of a node without a cluster (Payara Micro's {@code --nocluster}): streams in memory, this node's hub is everyone. */
@ApplicationScoped
@Typed(MemoryBroker.class)
public class MemoryBroker implements Broker {

    private final MemoryStreams streams;
    private final Hub hub;

    @Inject
    public MemoryBroker(MemoryStreams streams, Hub hub) {
        this.streams = streams;
        this.hub = hub;
    }

    /** For CDI proxies only. */
    protected MemoryBroker() {
        this(null, null);
    }

    @Override
    public CompletableFuture<Message> publish(Message message, ChannelOptions options) {
        Message placed = !message.isDirect() && options.keepsHistory() ? streams.append(message, options) : message;
        hub.deliver(placed);
        return CompletableFuture.completedFuture(placed);
    }

    @Override
    public StreamSlice read(String channel, ReadSince read) {
        return streams.read(channel, read);
    }

    @Override
    public void command(UserCommand command) {
        hub.apply(command);
    }

    @Override
    public CompletableFuture<Integer> subscribers(String channel) {
        return CompletableFuture.completedFuture(hub.localSubscribers(channel));
    }
}
