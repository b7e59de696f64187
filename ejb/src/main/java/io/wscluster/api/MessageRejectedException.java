package io.wscluster.api;

import jakarta.ejb.ApplicationException;

/** Thrown when a message or request is refused for the caller's fault; {@link #code()} says why. */
@ApplicationException
public class MessageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String wireCode;
    private final long retryAfterMillis;

    public MessageRejectedException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    /** @param retryAfterMillis when trying again makes sense (for RATE_LIMITED); 0 if it does not apply */
    public MessageRejectedException(ErrorCode code, String message, long retryAfterMillis) {
        super(message);
        this.code = code;
        this.wireCode = code.name();
        this.retryAfterMillis = retryAfterMillis;
    }

    /**
     * A refusal whose code the application chose (its backend's answer): counted as {@code code}, answered
     * to the client as {@code wireCode}.
     */
    public MessageRejectedException(ErrorCode code, String wireCode, String message) {
        super(message);
        this.code = code;
        this.wireCode = wireCode == null ? code.name() : wireCode;
        this.retryAfterMillis = 0;
    }

    public ErrorCode code() {
        return code;
    }

    /** The code the client is answered with: {@link #code()}'s name, or the application's own. */
    public String wireCode() {
        return wireCode;
    }

    /** When trying again makes sense, in milliseconds; 0 if it does not apply. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
