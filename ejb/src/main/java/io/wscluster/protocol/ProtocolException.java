package io.wscluster.protocol;

import io.wscluster.api.ErrorCode;
import jakarta.json.JsonValue;

/** A client frame the server cannot act on; becomes an error frame, never a disconnect. */
public class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient JsonValue ref;

    ProtocolException(ErrorCode code, String message, JsonValue ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    public JsonValue ref() {
        return ref;
    }
}
