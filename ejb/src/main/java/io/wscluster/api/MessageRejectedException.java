package io.wscluster.api;

import jakarta.ejb.ApplicationException;

/** Thrown when a message or request is refused for the caller's fault; {@link #code()} says why. */
@ApplicationException
public class MessageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MessageRejectedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
