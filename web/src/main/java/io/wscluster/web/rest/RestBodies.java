package io.wscluster.web.rest;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.protocol.JsonText;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;

/** The server API's JSON bodies: read within the size limit as strict JSON, and their fields checked by kind. */
final class RestBodies {

    private RestBodies() {
    }

    /** The body as one JSON value; an empty body is {@code {}}. */
    static JsonValue read(MediaType type, InputStream body, int maxBytes) throws IOException {
        RestPublishing.requireUtf8(type);
        String text = RestPublishing.readLimited(body, maxBytes);
        if (text.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return JsonText.parse(text);
        } catch (RuntimeException e) {
            throw new MessageRejectedException(ErrorCode.BAD_JSON, "the body is not one JSON value");
        }
    }

    static JsonObject object(JsonValue value, String what) {
        if (!(value instanceof JsonObject object)) {
            throw invalid(what + " must be a JSON object");
        }
        return object;
    }

    /** A string field, or null when absent. */
    static String string(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw invalid(field + " must be a string");
        }
        return string.getString();
    }

    static String requiredString(JsonObject body, String field) {
        String value = string(body, field);
        if (value == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, field + " is required");
        }
        return value;
    }

    /** A whole-number field, or {@code absent}. */
    static long number(JsonObject body, String field, long absent) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return absent;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw invalid(field + " must be a whole number");
        }
        return number.longValueExact();
    }

    static MessageRejectedException invalid(String why) {
        return new MessageRejectedException(ErrorCode.INVALID_FIELD, why);
    }
}
