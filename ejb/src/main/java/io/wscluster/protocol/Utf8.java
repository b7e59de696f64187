package io.wscluster.protocol;

import java.nio.charset.StandardCharsets;

/** Size checks on text in UTF-8 bytes, the unit of every size limit. */
public final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code text} takes more than {@code maxBytes} bytes in UTF-8, encoding only when the length cannot decide. */
    public static boolean exceeds(String text, int maxBytes) {
        if (text.length() > maxBytes) {
            return true; // every char is at least one byte
        }
        if (text.length() * 3L <= maxBytes) {
            return false; // every char is at most three bytes (a surrogate pair is 4 bytes for 2 chars)
        }
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }
}
