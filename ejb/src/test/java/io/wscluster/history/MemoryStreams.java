package io.wscluster.history;

import io.wscluster.channel.ChannelOptions;
import io.wscluster.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Channel streams in one map, with the same append and read rules as the cluster's: for single-node tests. */
public final class MemoryStreams implements StreamReader {

    private final Map<String, ChannelStream> streams = new ConcurrentHashMap<>();
    private int epochs;

    /** Appends the message to its channel's stream; returns it with its position. */
    public Message append(Message message, ChannelOptions options) {
        long now = System.currentTimeMillis();
        List<StoredMessage> placed = new ArrayList<>(1);
        ChannelStream next = streams.compute(message.channel(), (channel, current) ->
                (current != null ? current : new ChannelStream("e" + ++epochs, 0, List.of()))
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
