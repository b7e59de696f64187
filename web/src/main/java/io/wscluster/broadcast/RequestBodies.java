package io.wscluster.broadcast;

import io.wscluster.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a request body as UTF-8 text without ever holding more than the message size limit. */
public final class RequestBodies {

    private RequestBodies() {
    }

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
