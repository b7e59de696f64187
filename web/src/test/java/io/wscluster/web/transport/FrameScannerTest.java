package io.wscluster.web.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameScannerTest {

    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    /** What the scanner told its sink, in order. */
    private static final class Recorded implements FrameScanner.Sink {
        final ByteArrayOutputStream passed = new ByteArrayOutputStream();
        final List<Long> skipped = new ArrayList<>();
        Integer closeCode;

        @Override
        public void pass(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            passed.writeBytes(copy);
        }

        @Override
        public void skipped(long length) {
            skipped.add(length);
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }
    }

    private static byte[] frame(int opcode, boolean fin, boolean masked, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(mask | length);
        } else if (length < 65536) {
            out.write(mask | 126);
            out.write(length >>> 8);
            out.write(length & 0xff);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift) & 0xff);
            }
        }
        if (masked) {
            out.writeBytes(new byte[] {1, 2, 3, 4});
        }
        for (int i = 0; i < length; i++) {
            out.write('a' + i % 26);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} to the scanner in reads of {@code chunk} bytes. */
    private static Recorded scan(FrameScanner scanner, byte[] bytes, int chunk) {
        Recorded sink = new Recorded();
        for (int i = 0; i < bytes.length; i += chunk) {
            // a buffer that does not start at position 0, as Grizzly's slices may not
            ByteBuffer read = ByteBuffer.allocate(chunk + 3).position(3).put(bytes, i, Math.min(chunk, bytes.length - i));
            read.limit(read.position()).position(3);
            scanner.scan(read, sink);
            assertEquals(read.limit(), read.position(), "a read is consumed whole");
        }
        return sink;
    }

    @Test
    void framesWithinTheLimitPassAsTheyCameWhateverTheReadsCutThem() {
        byte[] stream = concat(frame(TEXT, true, true, 10), frame(TEXT, true, true, 300), frame(PING, true, true, 0),
                frame(TEXT, false, true, 40), frame(CONTINUATION, true, true, 40));
        for (int chunk : new int[] {1, 2, 3, 7, 64, stream.length}) {
            Recorded sink = scan(new FrameScanner(new PartialFrames(1 << 20), 1000), stream, chunk);
            assertArrayEquals(stream, sink.passed.toByteArray(), "reads of " + chunk);
            assertNull(sink.closeCode);
            assertTrue(sink.skipped.isEmpty());
        }
    }

    @Test
    void aFrameLargerThanTheLimitIsSkippedUnbufferedAndTheNextOnePasses() {
        byte[] small = frame(TEXT, true, true, 20);
        byte[] large = frame(TEXT, true, true, 70_000);
        for (int chunk : new int[] {1, 5, 1024, 100_000}) {
            Recorded sink = scan(new FrameScanner(new PartialFrames(100), 1000), concat(small, large, small), chunk);
            assertArrayEquals(concat(small, small), sink.passed.toByteArray(), "reads of " + chunk);
            assertEquals(List.of(70_000L), sink.skipped);
            assertNull(sink.closeCode);
        }
    }

    @Test
    void anUnmaskedFrameClosesWith1002AndNothingOfItPasses() {
        byte[] good = frame(TEXT, true, true, 5);
        for (int chunk : new int[] {1, 100}) {
            Recorded sink = scan(new FrameScanner(new PartialFrames(1 << 20), 1000), concat(good, frame(TEXT, true, false, 5), good), chunk);
            assertEquals(1002, sink.closeCode);
            assertArrayEquals(good, sink.passed.toByteArray());
        }
    }

    @Test
    void aLongOrFragmentedControlFrameClosesWith1002() {
        assertEquals(1002, scan(new FrameScanner(new PartialFrames(1 << 20), 1000), frame(PING, true, true, 126), 50).closeCode);
        assertEquals(1002, scan(new FrameScanner(new PartialFrames(1 << 20), 1000), frame(PING, false, true, 1), 50).closeCode);
    }

    @Test
    void aFragmentedMessageLargerThanTheLimitIsDroppedWholeAndTheNextOnePasses() {
        byte[] after = frame(TEXT, true, true, 7);
        byte[] stream = concat(frame(TEXT, false, true, 600), frame(CONTINUATION, false, true, 600),
                frame(CONTINUATION, true, true, 600), after);
        for (int chunk : new int[] {1, 64, 10_000}) {
            PartialFrames budget = new PartialFrames(1 << 20);
            Recorded sink = scan(new FrameScanner(budget, 1000), stream, chunk);
            assertNull(sink.closeCode);
            assertEquals(List.of(1800L), sink.skipped);
            assertArrayEquals(after, sink.passed.toByteArray(), "nothing of the dropped message reaches Tyrus");
            assertEquals(0, budget.held());
        }
    }

    @Test
    void aFragmentedMessageIsHandedOnWholeAndAPingBetweenItsFragmentsGoesFirst() {
        byte[] first = frame(TEXT, false, true, 30);
        byte[] ping = frame(PING, true, true, 4);
        byte[] last = frame(CONTINUATION, true, true, 30);
        for (int chunk : new int[] {1, 5, 1000}) {
            PartialFrames budget = new PartialFrames(1 << 20);
            Recorded sink = scan(new FrameScanner(budget, 1000), concat(first, ping, last), chunk);
            assertNull(sink.closeCode);
            assertArrayEquals(concat(ping, first, last), sink.passed.toByteArray(), "reads of " + chunk);
            assertEquals(0, budget.held());
        }
    }

    @Test
    void aNewMessageInsideAFragmentedOneClosesWith1002() {
        Recorded sink = scan(new FrameScanner(new PartialFrames(1 << 20), 1000),
                concat(frame(TEXT, false, true, 10), frame(TEXT, true, true, 10)), 100);
        assertEquals(1002, sink.closeCode);
        assertEquals(0, sink.passed.size());
    }

    @Test
    void aFrameStillArrivingHoldsTheBudgetUntilItsLastByte() {
        PartialFrames budget = new PartialFrames(1000);
        FrameScanner scanner = new FrameScanner(budget, 1000);
        byte[] frame = frame(TEXT, true, true, 800);
        scan(scanner, java.util.Arrays.copyOf(frame, 100), 100);
        assertEquals(800, budget.held());
        FrameScanner other = new FrameScanner(budget, 1000);
        Recorded refused = scan(other, java.util.Arrays.copyOf(frame(TEXT, true, true, 300), 50), 50);
        assertEquals(1013, refused.closeCode, "no room left for a second partial frame");
        Recorded whole = scan(new FrameScanner(budget, 1000), frame(TEXT, true, true, 300), 400);
        assertNull(whole.closeCode, "a frame that comes whole in one read needs no budget");
        scan(scanner, java.util.Arrays.copyOfRange(frame, 100, frame.length), 1000);
        assertEquals(0, budget.held());
    }

    @Test
    void aConnectionThatEndsMidFrameGivesItsBudgetBack() {
        PartialFrames budget = new PartialFrames(1 << 20);
        FrameScanner scanner = new FrameScanner(budget, 1 << 16);
        scan(scanner, java.util.Arrays.copyOf(frame(TEXT, true, true, 60_000), 1000), 1000);
        assertEquals(60_000, budget.held());
        scanner.release();
        assertEquals(0, budget.held());
    }

    @Test
    void theLimitCanBeRaisedOnceTheClientIsKnown() {
        FrameScanner scanner = new FrameScanner(new PartialFrames(1 << 20), 100);
        assertEquals(List.of(500L), scan(scanner, frame(TEXT, true, true, 500), 1000).skipped);
        scanner.limit(1000);
        Recorded sink = scan(scanner, frame(TEXT, true, true, 500), 1000);
        assertTrue(sink.skipped.isEmpty());
        assertArrayEquals(frame(TEXT, true, true, 500), sink.passed.toByteArray());
    }
}
