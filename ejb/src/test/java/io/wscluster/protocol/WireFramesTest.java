package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class WireFramesTest {

    @Test
    void lengthsUseTheShortestEncoding() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 70_000}) {
            String text = "x".repeat(length);
            byte[] frame = WireFrames.text(text);
            assertEquals((byte) 0x81, frame[0], "FIN and text, not masked");
            int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
            assertEquals(header + length, frame.length, "length " + length);
            long encoded = header == 2 ? frame[1] : header == 4 ? ((frame[2] & 0xff) << 8) | (frame[3] & 0xff) : readLong(frame);
            assertEquals(length, encoded);
        }
    }

    @Test
    void textIsUtf8() {
        byte[] frame = WireFrames.text("\"caf\u00e9 \uD83D\uDE00\"");
        assertArrayEquals("\"caf\u00e9 \uD83D\uDE00\"".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(frame, 2, frame.length));
    }

    @Test
    void aDeflatedFrameInflatesWithOneInflaterAcrossMessagesAsPermessageDeflateDoes() throws DataFormatException {
        Inflater inflater = new Inflater(true); // one per connection, keeping its context, as a client does
        for (String text : new String[] {"{\"n\":" + "1234567890".repeat(50) + "}", "{\"other\":\"" + "ab".repeat(300) + "\"}"}) {
            byte[] frame = WireFrames.deflatedText(text);
            assertEquals((byte) 0xC1, frame[0], "FIN, RSV1 (compressed), text");
            int header = (frame[1] & 0x7f) < 126 ? 2 : 4;
            byte[] payload = Arrays.copyOfRange(frame, header, frame.length);
            byte[] withTail = Arrays.copyOf(payload, payload.length + 4);
            withTail[payload.length + 2] = (byte) 0xff;
            withTail[payload.length + 3] = (byte) 0xff;
            inflater.setInput(withTail);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            assertEquals(text, out.toString(StandardCharsets.UTF_8));
            assertEquals(true, payload.length < text.length(), "compressed");
        }
    }

    private static long readLong(byte[] frame) {
        long value = 0;
        for (int i = 2; i < 10; i++) {
            value = (value << 8) | (frame[i] & 0xff);
        }
        return value;
    }
}
