package io.wscluster.history;

import java.util.List;
import java.util.function.Function;
import org.infinispan.functional.EntryView.ReadWriteEntryView;
import org.infinispan.functional.MetaParam;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * Appends one message to a channel's stream, on each of its owners (the primary, then its backup, which
 * runs the same function: it is deterministic, {@code now} included). A stream that does not exist starts
 * with {@code newEpoch}. The stream lives for {@code ttlMillis} after its last message. Idempotent: a
 * message the stream holds already is not appended again.
 */
public record Append(
        @ProtoField(1) String newEpoch,
        @ProtoField(2) StoredMessage message,
        @ProtoField(value = 3, defaultValue = "1") int maxSize,
        @ProtoField(value = 4, defaultValue = "0") long ttlMillis,
        @ProtoField(value = 5, defaultValue = "0") long now)
        implements Function<ReadWriteEntryView<String, ChannelStream>, StreamPosition> {

    @Override
    public StreamPosition apply(ReadWriteEntryView<String, ChannelStream> view) {
        ChannelStream current = view.find().orElseGet(() -> new ChannelStream(newEpoch, 0, List.of()));
        long applied = current.offsetOf(message.id());
        if (applied > 0) {
            // Infinispan retries a write whose owners changed under it (a node left mid-append), and the
            // new primary may have applied it already as the backup: the same message, the same position.
            return new StreamPosition(current.epoch(), applied);
        }
        ChannelStream next = current.append(message, maxSize, now - ttlMillis);
        view.set(next, new MetaParam.MetaLifespan(ttlMillis));
        return new StreamPosition(next.epoch(), next.offset());
    }
}
