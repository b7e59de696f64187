package io.wscluster.api;

import jakarta.ejb.ApplicationException;

/** Thrown when a message or request is refused for the caller's fault; {@link #code()} says why. */
@ApplicationException
public class MessageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long retryAfterMillis;

    public MessageRejectedException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    /** @param retryAfterMillis when trying again makes sense (for RATE_LIMITED); 0 if it does not apply */
    public MessageRejectedException(ErrorCode code, String message, long retryAfterMillis) {
        super(message);
        this.code = code;
        this.retryAfterMillis = retryAfterMillis;
    }

    public ErrorCode code() {
        return code;
    }

    /** When trying again makes sense, in milliseconds; 0 if it does not apply. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
