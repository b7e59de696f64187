package io.wscluster.client;

/** A request the server refused (its error code, e.g. UNKNOWN_CHANNEL), timed out, or lost to a disconnect. */
public class RequestFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public RequestFailedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
