package io.wscluster.broadcast;

import io.wscluster.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Request parsing shared by the REST resources: bounded bodies and the priority parameter. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** {@code ?priority=high} or {@code normal}. */
    public static Priority priority(String value) {
        return switch (value) {
            case "normal" -> Priority.NORMAL;
            case "high" -> Priority.HIGH;
            default -> throw new MessageRejectedException(ErrorCode.INVALID_FIELD, "priority must be normal or high");
        };
    }

    /** Reads a body as UTF-8 text without ever holding more than {@code maxBytes}. */
    public static String readLimited(InputStream body, int maxBytes) throws IOException {
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
        return out.toString(StandardCharsets.UTF_8);
    }
}
