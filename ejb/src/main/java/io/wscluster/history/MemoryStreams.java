package io.wscluster.history;

import io.wscluster.channel.ChannelOptions;
import io.wscluster.message.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Channel streams in one map, with the same append and read rules as the cluster's: a node without a
 * cluster keeps its channels' history here. A stream's epoch carries the time its node started, so a client
 * resuming after a restart is never taken for one of the new stream's.
 */
@ApplicationScoped
@Typed(MemoryStreams.class)
public class MemoryStreams implements StreamReader {

    private final Map<String, ChannelStream> streams = new ConcurrentHashMap<>();
    private final String epochPrefix = Long.toString(System.currentTimeMillis(), 36) + "m";
    private final AtomicLong epochs = new AtomicLong();

    /** Appends the message to its channel's stream; returns it with its position. */
    public Message append(Message message, ChannelOptions options) {
        long now = System.currentTimeMillis();
        List<StoredMessage> placed = new ArrayList<>(1);
        ChannelStream next = streams.compute(message.channel(), (channel, current) ->
                (current != null ? current : new ChannelStream(epochPrefix + epochs.incrementAndGet(), 0, List.of()))
                        .append(List.of(StoredMessage.of(message)), options.historySize(), now - options.historyTtl().toMillis(), placed));
        return message.at(next.epoch(), placed.get(0).offset());
    }

    /** Forgets a channel's stream, as when it expires: the next append starts a new epoch. */
    public void expire(String channel) {
        streams.remove(channel);
    }

    @Override
    public StreamSlice read(String channel, ReadSince read) {
        ChannelStream stream = streams.get(channel);
        return stream == null ? StreamSlice.NONE : read.slice(stream);
    }
}
