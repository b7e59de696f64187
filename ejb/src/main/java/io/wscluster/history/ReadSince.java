package io.wscluster.history;

import java.util.List;
import java.util.function.Function;
import org.infinispan.functional.EntryView.ReadEntryView;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * Reads, where the stream lives, the messages after an offset, oldest first: the first {@code limit} of
 * them, or with {@code tail} the last {@code limit} (the latest message for a new subscriber).
 */
public record ReadSince(@ProtoField(value = 1, defaultValue = "0") long since, @ProtoField(value = 2, defaultValue = "0") int limit,
        @ProtoField(value = 3, defaultValue = "false") boolean tail)
        implements Function<ReadEntryView<String, ChannelStream>, StreamSlice> {

    @Override
    public StreamSlice apply(ReadEntryView<String, ChannelStream> view) {
        return view.find().map(this::slice).orElse(StreamSlice.NONE);
    }

    StreamSlice slice(ChannelStream stream) {
        List<StoredMessage> after = stream.messages().stream().filter(m -> m.offset() > since).toList();
        after = tail ? after.subList(Math.max(0, after.size() - limit), after.size()) : after.subList(0, Math.min(limit, after.size()));
        return new StreamSlice(stream.epoch(), stream.offset(), stream.firstHeld(), after);
    }
}
