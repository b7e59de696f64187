package io.wscluster.protocol;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.Priority;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import java.util.function.Predicate;

/** Turns a text frame into a {@link ClientRequest}, or says precisely what is wrong with it. */
public final class RequestParser {

    private RequestParser() {
    }

    public static ClientRequest parse(String text) throws ProtocolException {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonException e) {
            String why = e.getMessage() == null ? "" : ": " + e.getMessage();
            throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not valid JSON" + (why.length() > 200 ? why.substring(0, 200) : why), null);
        }
        if (value.getValueType() != ValueType.OBJECT) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame must be a JSON object", null);
        }
        JsonObject frame = value.asJsonObject();
        JsonValue ref = ref(frame);
        JsonValue typeValue = frame.get("type");
        if (typeValue == null) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame has no type", ref);
        }
        if (typeValue.getValueType() != ValueType.STRING) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "type must be a string", ref);
        }
        String typeName = ((JsonString) typeValue).getString();
        RequestType type = RequestType.fromWire(typeName);
        if (type == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown type: " + abbreviate(typeName), ref);
        }
        return switch (type) {
            case PING -> new ClientRequest(type, ref, null, null, Priority.NORMAL, null, null, null, null);
            case CONNECT, REFRESH -> new ClientRequest(type, ref, null, null, Priority.NORMAL, null, null, null,
                    requireString(frame, "token", ref));
            case SUBSCRIBE -> new ClientRequest(type, ref, requireString(frame, "channel", ref), null, Priority.NORMAL, null, null,
                    since(frame, ref), null);
            case UNSUBSCRIBE, PRESENCE -> new ClientRequest(type, ref, requireString(frame, "channel", ref), null, Priority.NORMAL,
                    null, null, null, null);
            case PUBLISH -> new ClientRequest(type, ref, requireString(frame, "channel", ref), require(frame, "data", ref),
                    priority(frame, ref), key(frame, ref), idempotencyKey(frame, ref), null, null);
        };
    }

    private static JsonValue ref(JsonObject frame) throws ProtocolException {
        JsonValue id = frame.get("id");
        if (id == null || id.getValueType() == ValueType.NULL) {
            return null;
        }
        if (id.getValueType() != ValueType.STRING && id.getValueType() != ValueType.NUMBER) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "id must be a string or a number", null);
        }
        return id;
    }

    private static Priority priority(JsonObject frame, JsonValue ref) throws ProtocolException {
        JsonValue value = frame.get("priority");
        if (value == null) {
            return Priority.NORMAL;
        }
        if (value.getValueType() == ValueType.STRING) {
            switch (((JsonString) value).getString()) {
                case "normal":
                    return Priority.NORMAL;
                case "high":
                    return Priority.HIGH;
                default:
                    break;
            }
        }
        throw new ProtocolException(ErrorCode.INVALID_FIELD, "priority must be \"normal\" or \"high\"", ref);
    }

    /** {@code "since":{"offset":N,"epoch":"E"}}: N a whole number from 0, E a string. */
    private static ClientRequest.Since since(JsonObject frame, JsonValue ref) throws ProtocolException {
        JsonValue value = frame.get("since");
        if (value == null || value.getValueType() == ValueType.NULL) {
            return null;
        }
        String rule = "since must be {\"offset\": a whole number from 0, \"epoch\": a string}";
        if (value.getValueType() != ValueType.OBJECT) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, rule, ref);
        }
        JsonObject since = value.asJsonObject();
        JsonValue offset = since.get("offset");
        JsonValue epoch = since.get("epoch");
        if (!(offset instanceof JsonNumber number) || !number.isIntegral() || !(epoch instanceof JsonString epochString)) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, rule, ref);
        }
        long n;
        try {
            n = number.longValueExact();
        } catch (ArithmeticException e) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, rule, ref);
        }
        if (n < 0) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, rule, ref);
        }
        return new ClientRequest.Since(epochString.getString(), n);
    }

    private static String key(JsonObject frame, JsonValue ref) throws ProtocolException {
        return optionalString(frame, "key", MessageKeys::isValid, MessageKeys.RULE, ref);
    }

    private static String idempotencyKey(JsonObject frame, JsonValue ref) throws ProtocolException {
        return optionalString(frame, "idempotencyKey", IdempotencyKeys::isValid, IdempotencyKeys.RULE, ref);
    }

    /** A field that may be absent or null; if present, a string that {@code valid} accepts, else {@code rule} is the error. */
    private static String optionalString(JsonObject frame, String field, Predicate<String> valid, String rule, JsonValue ref)
            throws ProtocolException {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != ValueType.STRING || !valid.test(((JsonString) value).getString())) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, rule, ref);
        }
        return ((JsonString) value).getString();
    }

    private static JsonValue require(JsonObject frame, String field, JsonValue ref) throws ProtocolException {
        JsonValue value = frame.get(field);
        if (value == null) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, field + " is required", ref);
        }
        return value;
    }

    private static String requireString(JsonObject frame, String field, JsonValue ref) throws ProtocolException {
        JsonValue value = require(frame, field, ref);
        if (value.getValueType() != ValueType.STRING) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, field + " must be a string", ref);
        }
        return ((JsonString) value).getString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
