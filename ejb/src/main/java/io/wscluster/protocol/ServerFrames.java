package io.wscluster.protocol;

import io.wscluster.message.Message;
import io.wscluster.presence.PresenceEntry;
import io.wscluster.api.ErrorCode;
import jakarta.json.JsonValue;
import java.util.List;

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
        if (message.positioned()) {
            frame.append(",\"offset\":").append(message.offset()).append(",\"epoch\":");
            quote(frame, message.epoch());
        }
        return frame.append(",\"data\":").append(message.data())
                .append(",\"ts\":").append(message.timestamp()).append('}').toString();
    }

    public static String subscribed(String channel, JsonValue ref) {
        return reply("subscribed", channel, ref);
    }

    /**
     * The reply to a subscribe on a channel that keeps history: where the client now stands (it gets the
     * messages after {@code offset}), and whether what it missed since its {@code since} was replayed.
     *
     * @param epoch the stream's epoch; null when the channel keeps no history (then a plain reply)
     * @param recovered null when the client did not ask to resume
     */
    public static String subscribed(String channel, JsonValue ref, String epoch, long offset, Boolean recovered) {
        if (epoch == null && recovered == null) {
            return subscribed(channel, ref);
        }
        StringBuilder frame = new StringBuilder("{\"type\":\"subscribed\",\"channel\":");
        quote(frame, channel);
        appendRef(frame, "id", ref);
        if (epoch != null) {
            frame.append(",\"epoch\":");
            quote(frame, epoch);
            frame.append(",\"offset\":").append(offset);
        }
        if (recovered != null) {
            frame.append(",\"recovered\":").append(recovered);
        }
        return frame.append('}').toString();
    }

    public static String unsubscribed(String channel, JsonValue ref) {
        return reply("unsubscribed", channel, ref);
    }

    /** The server API took the connection off a channel: no request, so no id; {@code "server":true}. */
    public static String unsubscribedByServer(String channel) {
        StringBuilder frame = new StringBuilder("{\"type\":\"unsubscribed\",\"channel\":");
        quote(frame, channel);
        return frame.append(",\"server\":true}").toString();
    }

    /** The server API put the connection on a channel: as {@link #subscribed}, without an id, {@code "server":true}. */
    public static String subscribedByServer(String channel, String epoch, long offset, Boolean recovered) {
        String subscribed = subscribed(channel, null, epoch, offset, recovered);
        return subscribed.substring(0, subscribed.length() - 1) + ",\"server\":true}";
    }

    /** The server API moved the connection's expiry. */
    public static String refreshedByServer(String user, long expiresAtMillis) {
        StringBuilder frame = new StringBuilder("{\"type\":\"refreshed\",\"user\":");
        quote(frame, user);
        return frame.append(",\"expiresAt\":").append(expiresAtMillis).append(",\"server\":true}").toString();
    }

    public static String published(String messageId, JsonValue ref) {
        return published(messageId, ref, null, 0);
    }

    /** The acknowledgement of a publish; on a channel that keeps history, with the message's position in its stream. */
    public static String published(String messageId, JsonValue ref, String epoch, long offset) {
        StringBuilder frame = new StringBuilder("{\"type\":\"published\"");
        appendRef(frame, "id", ref);
        frame.append(",\"messageId\":");
        quote(frame, messageId);
        if (epoch != null) {
            frame.append(",\"epoch\":");
            quote(frame, epoch);
            frame.append(",\"offset\":").append(offset);
        }
        return frame.append('}').toString();
    }

    /**
     * A channel's history as the REST API returns it: where its stream stands, whether the messages
     * continue a position (null when not asked), and the messages as message frames.
     */
    public static String history(String channel, String epoch, long offset, Boolean recovered, List<Message> messages) {
        StringBuilder body = new StringBuilder("{\"channel\":");
        quote(body, channel);
        if (epoch != null) {
            body.append(",\"epoch\":");
            quote(body, epoch);
        }
        body.append(",\"offset\":").append(offset);
        if (recovered != null) {
            body.append(",\"recovered\":").append(recovered);
        }
        body.append(",\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            body.append(i == 0 ? "" : ",").append(message(messages.get(i)));
        }
        return body.append("]}").toString();
    }

    /**
     * A channel's presence: how many connections and users, whether the list is complete (it is bounded
     * per channel), and each connection's user, id, node and since (epoch millis), oldest first.
     */
    public static String presence(String channel, JsonValue ref, List<PresenceEntry> entries, long users, boolean complete) {
        StringBuilder frame = new StringBuilder("{\"type\":\"presence\",\"channel\":");
        quote(frame, channel);
        appendRef(frame, "id", ref);
        frame.append(",\"count\":").append(entries.size()).append(",\"users\":").append(users)
                .append(",\"complete\":").append(complete).append(",\"members\":[");
        for (int i = 0; i < entries.size(); i++) {
            appendPresenceEntry(frame.append(i == 0 ? "" : ","), entries.get(i));
        }
        return frame.append("]}").toString();
    }

    /** Someone subscribed to ({@code join}) or left ({@code leave}) a channel with join-leave messages. */
    public static String presenceChange(String channel, PresenceEntry entry, boolean joined) {
        StringBuilder frame = new StringBuilder("{\"type\":\"").append(joined ? "join" : "leave").append("\",\"channel\":");
        quote(frame, channel);
        frame.append(",\"member\":");
        appendPresenceEntry(frame, entry);
        return frame.append('}').toString();
    }

    private static void appendPresenceEntry(StringBuilder out, PresenceEntry entry) {
        out.append("{\"user\":");
        quote(out, entry.user());
        out.append(",\"connection\":");
        quote(out, entry.connection());
        out.append(",\"node\":");
        quote(out, entry.node());
        out.append(",\"since\":").append(entry.since()).append('}');
    }

    /** The reply to {@code connect} or {@code refresh}: who the connection is now, and until when (epoch millis). */
    public static String connected(String type, String user, long expiresAtMillis, JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"").append(type).append('"');
        appendRef(frame, "id", ref);
        frame.append(",\"user\":");
        quote(frame, user);
        if (expiresAtMillis != Long.MAX_VALUE) {
            frame.append(",\"expiresAt\":").append(expiresAtMillis);
        }
        return frame.append('}').toString();
    }

    public static String pong(JsonValue ref) {
        StringBuilder frame = new StringBuilder("{\"type\":\"pong\"");
        appendRef(frame, "id", ref);
        return frame.append('}').toString();
    }

    public static String error(ErrorCode code, String text, JsonValue ref) {
        return error(code, text, ref, 0);
    }

    /** A subscription that was asked for without a request of its own (an event stream's) and refused. */
    public static String refused(String channel, String code, String text) {
        StringBuilder frame = new StringBuilder("{\"type\":\"error\",\"code\":\"").append(code).append("\",\"message\":");
        quote(frame, text);
        frame.append(",\"channel\":");
        quote(frame, channel);
        return frame.append('}').toString();
    }

    /** An error; with {@code retryAfterMillis} above 0 (RATE_LIMITED pushback), when to try again. */
    public static String error(ErrorCode code, String text, JsonValue ref, long retryAfterMillis) {
        return error(code.name(), text, ref, retryAfterMillis);
    }

    /** An error with a code of the application's (its backend's refusal), or one of {@link ErrorCode}'s names. */
    public static String error(String code, String text, JsonValue ref, long retryAfterMillis) {
        StringBuilder frame = new StringBuilder("{\"type\":\"error\",\"code\":\"").append(code).append("\",\"message\":");
        quote(frame, text);
        appendRef(frame, "ref", ref);
        if (retryAfterMillis > 0) {
            frame.append(",\"retryAfterMs\":").append(retryAfterMillis);
        }
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
