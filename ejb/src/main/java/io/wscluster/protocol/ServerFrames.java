package io.wscluster.protocol;

import io.wscluster.message.Message;
import io.wscluster.api.ErrorCode;
import jakarta.json.JsonValue;

/**
 * Writes the server's frames as JSON text. Message frames embed the payload's JSON text as it is,
 * so a message is serialised once and the same string goes to every subscriber.
 */
public final class ServerFrames {

    private ServerFrames() {
    }

    public static String message(Message message) {
        StringBuilder frame = new StringBuilder(64 + message.data().length()).append("{\"type\":\"message\",");
        if (message.isDirect()) {
            frame.append("\"to\":");
            quote(frame, message.user());
        } else {
            frame.append("\"channel\":");
            quote(frame, message.channel());
        }
        frame.append(",\"id\":");
        quote(frame, message.id());
        return frame.append(",\"data\":").append(message.data())
                .append(",\"ts\":").append(message.timestamp()).append('}').toString();
    }

    public static String subscribed(String channel, JsonValue ref) {
        return reply("subscribed", channel, ref);
    }

    public static String unsubscribed(String channel, JsonValue ref) {
        return reply("unsubscribed", channel, ref);
    }

    public static String published(String messageId, JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"published\"");
        appendRef(frame, "id", ref);
        frame.append(",\"messageId\":");
        quote(frame, messageId);
        return frame.append('}').toString();
    }

    public static String pong(JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"pong\"");
        appendRef(frame, "id", ref);
        return frame.append('}').toString();
    }

    public static String error(ErrorCode code, String text, JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"error\",\"code\":\"").append(code.name()).append("\",\"message\":");
        quote(frame, text);
        appendRef(frame, "ref", ref);
        return frame.append('}').toString();
    }

    private static String reply(String type, String channel, JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"").append(type).append("\",\"channel\":");
        quote(frame, channel);
        appendRef(frame, "id", ref);
        return frame.append('}').toString();
    }

    private static void appendRef(StringBuilder frame, String field, JsonValue ref) {
        if (ref != null) {
            // A JsonString or JsonNumber prints as valid JSON text.
            frame.append(",\"").append(field).append("\":").append(ref);
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
