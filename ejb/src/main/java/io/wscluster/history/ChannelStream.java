package io.wscluster.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Which of these messages the stream holds already, by id: one pass, not one per message. */
    private Map<String, StoredMessage> held(List<StoredMessage> incoming) {
        Set<String> ids = new HashSet<>(incoming.size() * 2);
        incoming.forEach(m -> ids.add(m.id()));
        Map<String, StoredMessage> held = new HashMap<>();
        for (StoredMessage m : messages) {
            if (ids.contains(m.id())) {
                held.put(m.id(), m);
            }
        }
        return held;
    }

    /**
     * This stream with {@code incoming} appended at the next offsets, trimmed to {@code maxSize} messages
     * no older than {@code oldest}; a message the stream holds already (by id: an append retried, a publish
     * repeated with its idempotency key) keeps its offset and first content and is not appended again.
     *
     * @param placed receives each incoming message as the stream holds it (at its offset; one held already
     *               as it was stored), in order
     */
    ChannelStream append(List<StoredMessage> incoming, int maxSize, long oldest, List<StoredMessage> placed) {
        List<StoredMessage> all = new ArrayList<>(messages.size() + incoming.size());
        all.addAll(messages);
        Map<String, StoredMessage> held = held(incoming);
        long last = offset;
        for (StoredMessage message : incoming) {
            StoredMessage stored = held.get(message.id());
            if (stored == null) {
                stored = message.at(++last);
                all.add(stored);
            }
            placed.add(stored);
        }
        int from = Math.max(0, all.size() - maxSize);
        List<StoredMessage> kept = new ArrayList<>(all.size() - from);
        for (int i = from; i < all.size(); i++) {
            StoredMessage m = all.get(i);
            if (m.timestamp() >= oldest || i == all.size() - 1) {
                kept.add(m);
            }
        }
        return new ChannelStream(epoch, last, kept);
    }
}
