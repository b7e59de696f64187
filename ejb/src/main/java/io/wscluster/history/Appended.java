package io.wscluster.history;

import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * Where an append put its messages: the stream's epoch and each message as the stream holds it, in order
 * (one it held already, by id, as it was first stored). Travels back from a {@link PrimaryAppend}.
 */
public record Appended(@ProtoField(1) String epoch, @ProtoField(2) List<StoredMessage> messages) {

    /** Each message's offset, in order. */
    public List<Long> offsets() {
        return messages.stream().map(StoredMessage::offset).toList();
    }
}
