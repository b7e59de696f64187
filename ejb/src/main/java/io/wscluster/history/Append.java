package io.wscluster.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.infinispan.functional.EntryView.ReadWriteEntryView;
import org.infinispan.functional.MetaParam;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * Appends messages to a channel's stream, on each of its owners (the primary, then its backup, which runs
 * the same function: it is deterministic, {@code now} included). A stream that does not exist starts with
 * {@code newEpoch}. The stream lives for {@code ttlMillis} after its last message. Idempotent: Infinispan
 * retries a write whose owners changed under it (a node left mid-append), and the new primary may have
 * applied it already as the backup; a message the stream holds already is not appended again.
 */
public record Append(
        @ProtoField(1) String newEpoch,
        @ProtoField(2) List<StoredMessage> messages,
        @ProtoField(value = 3, defaultValue = "1") int maxSize,
        @ProtoField(value = 4, defaultValue = "0") long ttlMillis,
        @ProtoField(value = 5, defaultValue = "0") long now)
        implements Function<ReadWriteEntryView<String, ChannelStream>, Appended> {

    @Override
    public Appended apply(ReadWriteEntryView<String, ChannelStream> view) {
        ChannelStream current = view.find().orElseGet(() -> new ChannelStream(newEpoch, 0, List.of()));
        List<Long> offsets = new ArrayList<>(messages.size());
        ChannelStream next = current.append(messages, maxSize, now - ttlMillis, offsets);
        if (next.offset() != current.offset() || view.find().isEmpty()) {
            view.set(next, new MetaParam.MetaLifespan(ttlMillis));
        }
        return new Appended(next.epoch(), offsets);
    }
}
