package io.wscluster.history;

import io.wscluster.api.Priority;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import org.infinispan.protostream.annotations.ProtoField;

/** A message as its channel's stream keeps it: what a subscriber needs to receive it again. */
public record StoredMessage(
        @ProtoField(1) String id,
        @ProtoField(2) String data,
        @ProtoField(value = 3, defaultValue = "0") long timestamp,
        @ProtoField(value = 4, defaultValue = "0") int origin,
        @ProtoField(value = 5, defaultValue = "0") int priority,
        @ProtoField(6) String key,
        @ProtoField(value = 7, defaultValue = "0") long offset) {

    static StoredMessage of(Message message) {
        return new StoredMessage(message.id(), message.data(), message.timestamp(), message.origin().ordinal(),
                message.priority().ordinal(), message.key(), 0);
    }

    StoredMessage at(long streamOffset) {
        return new StoredMessage(id, data, timestamp, origin, priority, key, streamOffset);
    }

    /** The message again, as delivery carries it. */
    public Message toMessage(String channel, String epoch) {
        return new Message(id, channel, null, data, timestamp, Origin.values()[origin], Priority.values()[priority], key,
                epoch, offset);
    }
}
