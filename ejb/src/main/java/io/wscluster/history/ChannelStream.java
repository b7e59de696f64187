package io.wscluster.history;

import java.util.ArrayList;
import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * One channel's stream: its epoch (new each time the stream starts afresh), the offset of its last
 * message, and its most recent messages, oldest first, bounded by the channel's history size and age.
 */
public record ChannelStream(
        @ProtoField(1) String epoch,
        @ProtoField(value = 2, defaultValue = "0") long offset,
        @ProtoField(3) List<StoredMessage> messages) {

    /** The offset of the oldest message still held; offset + 1 when none is. */
    long firstHeld() {
        return messages.isEmpty() ? offset + 1 : messages.get(0).offset();
    }

    /** The offset of the message with this id if the stream still holds it, else 0. */
    long offsetOf(String id) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).id().equals(id)) {
                return messages.get(i).offset();
            }
        }
        return 0;
    }

    /** This stream with {@code message} appended at the next offset, trimmed to {@code maxSize} messages no older than {@code oldest}. */
    ChannelStream append(StoredMessage message, int maxSize, long oldest) {
        List<StoredMessage> kept = new ArrayList<>(Math.min(messages.size() + 1, maxSize));
        int from = Math.max(0, messages.size() + 1 - maxSize);
        for (int i = from; i < messages.size(); i++) {
            StoredMessage m = messages.get(i);
            if (m.timestamp() >= oldest) {
                kept.add(m);
            }
        }
        kept.add(message.at(offset + 1));
        return new ChannelStream(epoch, offset + 1, kept);
    }
}
