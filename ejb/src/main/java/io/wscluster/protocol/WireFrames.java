package io.wscluster.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Server frames as the bytes that go on the wire (RFC 6455: FIN, opcode, length; server frames are not
 * masked), made once per message and written unchanged to every connection it goes to.
 */
public final class WireFrames {

    private static final int OPCODE_TEXT = 0x1;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    /** What a sync flush ends with; permessage-deflate leaves it off (RFC 7692, 7.2.1). */
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private WireFrames() {
    }

    /** A whole text frame carrying {@code json} in UTF-8. */
    public static byte[] text(String json) {
        return frame(FIN | OPCODE_TEXT, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The same text compressed for a permessage-deflate connection (RFC 7692): RSV1 set, compressed with a
     * fresh context and a sync flush, so any receiving inflater decodes it, whether or not it keeps its
     * context between messages. Only valid where the connection allows the server a 32 KiB window.
     */
    public static byte[] deflatedText(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(utf8);
            ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length / 2 + 16);
            byte[] chunk = new byte[Math.max(64, Math.min(utf8.length, 16 * 1024))];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
            byte[] compressed = out.toByteArray();
            int length = compressed.length;
            if (length >= 4 && Arrays.equals(compressed, length - 4, length, SYNC_TAIL, 0, 4)) {
                length -= 4;
            }
            return frame(FIN | RSV1 | OPCODE_TEXT, Arrays.copyOf(compressed, length));
        } finally {
            deflater.end();
        }
    }

    private static byte[] frame(int firstByte, byte[] payload) {
        int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + payload.length];
        frame[0] = (byte) firstByte;
        if (header == 2) {
            frame[1] = (byte) payload.length;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = 127;
            long length = payload.length;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, payload.length);
        return frame;
    }
}
