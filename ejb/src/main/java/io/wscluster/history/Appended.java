package io.wscluster.history;

import java.util.List;

/**
 * Where an append put its messages: the stream's epoch and each message as the stream holds it, in order
 * (one it held already, by id, as it was first stored).
 */
public record Appended(String epoch, List<StoredMessage> messages) {

    /** Each message's offset, in order. */
    public List<Long> offsets() {
        return messages.stream().map(StoredMessage::offset).toList();
    }
}
