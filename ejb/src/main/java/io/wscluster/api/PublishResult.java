package io.wscluster.api;

import java.io.Serializable;

/**
 * What one publication of a batch or broadcast came to: the id it is delivered with (and, on a channel that
 * keeps history, its epoch and offset), or the code and message of its refusal. A refusal does not stop the
 * others.
 */
public record PublishResult(String target, String id, String epoch, long offset, ErrorCode error, String message)
        implements Serializable {

    public static PublishResult sent(String target, String id, String epoch, long offset) {
        return new PublishResult(target, id, epoch, offset, null, null);
    }

    public static PublishResult refused(String target, ErrorCode error, String message) {
        return new PublishResult(target, null, null, 0, error, message);
    }

    public boolean sent() {
        return error == null;
    }
}
