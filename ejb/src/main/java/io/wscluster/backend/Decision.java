package io.wscluster.backend;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelNames;
import io.wscluster.channel.ChannelRules;
import io.wscluster.protocol.JsonText;
import io.wscluster.security.Identity;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the backend decided on one hook: allowed, possibly with changes (channels granted and an expiry on
 * connect and refresh, the data to publish instead on publish), or refused with a code and message the
 * client sees. Read from {@code {"allow": true|false, "code", "message", "channels", "expiresAt", "data"}}.
 *
 * @param channels channel names and {@code *} patterns granted besides the token's (connect)
 * @param expiresAtMillis when the connection expires now (connect, refresh); 0 when the answer names none
 * @param data the JSON to publish instead of the client's (publish); null to publish it as sent
 */
public record Decision(boolean allowed, String code, String message, List<String> channels, long expiresAtMillis, JsonValue data) {

    /** A code the backend may give: what the client's error frame or refusal carries. */
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    public static final Decision ALLOW = new Decision(true, null, null, List.of(), 0, null);

    public static Decision refuse(String code, String message) {
        return new Decision(false, code, message, List.of(), 0, null);
    }

    /** Reads an answer; one that is not what the contract says is a failure of the backend, not a decision. */
    static Decision parse(String answer) {
        JsonObject json;
        try {
            json = JsonText.provider().createReader(new StringReader(answer)).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("the backend's answer is not a JSON object");
        }
        JsonValue allow = json.get("allow");
        if (allow == null || allow.getValueType() != JsonValue.ValueType.TRUE && allow.getValueType() != JsonValue.ValueType.FALSE) {
            throw new IllegalArgumentException("the backend's answer has no \"allow\": true or false");
        }
        if (allow.getValueType() == JsonValue.ValueType.FALSE) {
            String code = json.getString("code", "PERMISSION_DENIED");
            return refuse(CODE.matcher(code).matches() ? code : "PERMISSION_DENIED", json.getString("message", "refused by the application"));
        }
        List<String> channels = new ArrayList<>();
        if (json.get("channels") instanceof JsonArray granted) {
            for (JsonValue entry : granted) {
                String pattern = entry instanceof JsonString s ? s.getString() : "";
                if (!ChannelNames.isValid(pattern.replace("*", "x"))) {
                    throw new IllegalArgumentException("the backend granted a channel that is not one: " + entry);
                }
                channels.add(pattern);
            }
        }
        long expiresAt = json.containsKey("expiresAt") ? json.getJsonNumber("expiresAt").longValueExact() : 0;
        JsonValue data = json.get("data");
        return new Decision(true, null, null, List.copyOf(channels), expiresAt, data);
    }

    /** The refusal as the exception every transport answers with its code (UNAVAILABLE: the backend was down). */
    public MessageRejectedException refusal() {
        ErrorCode counted = ErrorCode.UNAVAILABLE.name().equals(code) ? ErrorCode.UNAVAILABLE : ErrorCode.PERMISSION_DENIED;
        return new MessageRejectedException(counted, code, message);
    }

    /** The identity a connect or refresh leaves: the token's grants and these, until this expiry (if it names one). */
    public Identity applyTo(Identity identity) {
        List<String> grants = new ArrayList<>(identity.grants().entries());
        grants.addAll(channels);
        return new Identity(identity.user(), expiresAtMillis > 0 ? expiresAtMillis : identity.expiresAtMillis(),
                channels.isEmpty() ? identity.grants() : ChannelRules.of(grants), identity.server());
    }
}
