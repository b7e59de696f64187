package io.wscluster.web.rest;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import io.wscluster.protocol.JsonText;
import io.wscluster.publish.MessagePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** What the REST publish resources share: a bounded body, the priority parameter, 202 with the message id (and position). */
@ApplicationScoped
public class RestPublishing {

    @Inject
    MessagePublisher publisher;

    /**
     * Publishes the body to a channel, as {@code decide} leaves it (the backend's rewrite; it may refuse by
     * throwing); {@code key} and {@code idempotencyKey} may be null.
     */
    public Response toChannel(String channel, String priority, String key, String idempotencyKey, MediaType type, InputStream body,
            UnaryOperator<String> decide) throws IOException {
        requireUtf8(type);
        String data = decide.apply(readLimited(body, publisher.maxBytes()));
        return accepted(publisher.publish(channel, data, Origin.REST, priority(priority), key, idempotencyKey));
    }

    /** Sends the body to every connection of a user; {@code idempotencyKey} may be null. */
    public Response toUser(String user, String priority, String idempotencyKey, MediaType type, InputStream body) throws IOException {
        requireUtf8(type);
        String data = readLimited(body, publisher.maxBytes());
        return accepted(publisher.sendToUser(user, data, Origin.REST, priority(priority), idempotencyKey));
    }

    /** 202 with the message id, and its position where the channel keeps history: it is held by two nodes by now. */
    private static Response accepted(Message message) {
        JsonObjectBuilder body = JsonText.provider().createObjectBuilder().add("id", message.id());
        if (message.positioned()) {
            body.add("epoch", message.epoch()).add("offset", message.offset());
        }
        return Response.accepted(body.build()).build();
    }

    /** {@code ?priority=high} or {@code normal}. */
    static Priority priority(String value) {
        return switch (value) {
            case "normal" -> Priority.NORMAL;
            case "high" -> Priority.HIGH;
            default -> throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "priority must be normal or high");
        };
    }

    /**
     * Reads a body as UTF-8 text without ever holding more than {@code maxBytes}. Bytes that are not UTF-8
     * are refused rather than replaced, so data is delivered exactly as sent or not at all.
     */
    static String readLimited(InputStream body, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = body.read(buffer)) != -1; ) {
            total += n;
            if (total > maxBytes) {
                throw new MessageRejectedException(ErrorCode.MESSAGE_TOO_LARGE, "body is larger than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MessageRejectedException(ErrorCode.INVALID_DATA, "body is not valid UTF-8");
        }
    }

    /** Refuses a declared charset other than UTF-8: the body would be read differently from what was meant. */
    static void requireUtf8(MediaType type) {
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new MessageRejectedException(ErrorCode.INVALID_DATA, "charset must be UTF-8, not " + charset);
        }
    }
}
