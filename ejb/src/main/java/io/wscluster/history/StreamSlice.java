package io.wscluster.history;

import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/**
 * What a stream holds after some position: its epoch, the offset of its last message, the offset of the
 * oldest it still holds, and the messages (oldest first, at most the limit asked for). An absent stream
 * is an empty slice with a null epoch.
 */
public record StreamSlice(
        @ProtoField(1) String epoch,
        @ProtoField(value = 2, defaultValue = "0") long offset,
        @ProtoField(value = 3, defaultValue = "1") long firstHeld,
        @ProtoField(4) List<StoredMessage> messages) {

    /** The slice of a stream that does not exist. */
    public static final StreamSlice NONE = new StreamSlice(null, 0, 1, List.of());

    /** The epoch a subscriber is given for a stream that has no message yet: any epoch's start follows it. */
    public static final String NOT_STARTED = "";

    /**
     * Whether everything after {@code since} in epoch {@code sinceEpoch} is in this slice's stream: the
     * same epoch, and no message between the position and the oldest held has been dropped. A position
     * taken before the stream started ({@link #NOT_STARTED}, 0) continues a stream that still holds its
     * first message, or none yet.
     */
    public boolean continues(String sinceEpoch, long since) {
        if (NOT_STARTED.equals(sinceEpoch) && since == 0) {
            return firstHeld == 1;
        }
        return epoch != null && epoch.equals(sinceEpoch) && since <= offset && since >= firstHeld - 1;
    }

    /** The epoch to give a subscriber: the stream's, or {@link #NOT_STARTED}. */
    public String epochOrNotStarted() {
        return epoch == null ? NOT_STARTED : epoch;
    }
}
