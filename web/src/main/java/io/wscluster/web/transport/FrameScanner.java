package io.wscluster.web.transport;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads the header of every frame a client sends before Tyrus sees its bytes, and decides what Tyrus gets.
 * One limit, one answer: a message whose payload is larger than the connection's limit, whether one frame
 * or fragments, is dropped as it arrives (never buffered, whatever length it announces) and reported, so
 * the client gets an error and the connection stays. To make that possible for fragments, a fragmented
 * message's frames are held here until its last one and then handed on together. An unmasked frame, a
 * control frame longer than 125 bytes or fragmented, or a data frame inside a fragmented message closes
 * the connection with 1002 (RFC 6455, 5.1, 5.4, 5.5). Whatever is buffered for a message still arriving
 * (held fragments, or a frame Tyrus holds because it did not come whole in one read) counts against the
 * node's {@link PartialFrames} budget until the message is complete; when the budget has no room the
 * connection is closed with 1013 before anything is buffered. One instance per connection.
 */
final class FrameScanner {

    static final int PROTOCOL_ERROR = 1002;
    static final int TRY_AGAIN_LATER = 1013;
    private static final int MAX_HEADER = 14;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** Where the scanner's decisions go, in the order of the bytes. */
    interface Sink {
        /** Bytes for Tyrus: whole or partial frames, never one of a message that was dropped. */
        void pass(ByteBuffer bytes);

        /** A whole message of {@code length} payload bytes was dropped for being larger than the limit. */
        void skipped(long length);

        /** The connection must be closed; nothing after this is read. */
        void close(int code, String reason);
    }

    /** What happens to the frame being read. */
    private enum Mode { PASS, HOLD, SKIP }

    private final PartialFrames budget;
    private volatile int limit;
    private final byte[] header = new byte[MAX_HEADER];
    /** Bytes of the current header seen so far; all of them are copied into {@link #header}. */
    private int headerHave;
    private int headerNeed = 2;
    /** How many of the header's bytes came in an earlier read (and were not passed on yet). */
    private int heldBytes;
    private Mode mode = Mode.PASS;
    private long payloadLeft;
    /** A fragmented message under way: its payload so far, and its frames held until the last one. */
    private boolean inMessage;
    private long messageBytes;
    private boolean discarding;
    private byte[] held = new byte[0];
    private int heldLength;
    private boolean fin;
    private boolean control;
    /** Budget taken by this connection, given back when its message is complete. */
    private long reserved;
    private boolean stopped;

    FrameScanner(PartialFrames budget, int limit) {
        this.budget = budget;
        this.limit = limit;
    }

    /** The largest message payload the client may send from now on. */
    void limit(int bytes) {
        this.limit = bytes;
    }

    int limit() {
        return limit;
    }

    /** Scans {@code in} (consumed entirely) and tells {@code sink} what to do with it. */
    synchronized void scan(ByteBuffer in, Sink sink) {
        if (stopped) {
            in.position(in.limit());
            return;
        }
        int passFrom = in.position();
        while (in.hasRemaining()) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, in.remaining());
                if (mode == Mode.HOLD) {
                    hold(in, in.position(), n);
                }
                in.position(in.position() + n);
                payloadLeft -= n;
                if (mode != Mode.PASS) {
                    passFrom = in.position();
                }
                if (payloadLeft == 0) {
                    frameDone(sink);
                }
                continue;
            }
            int headerStart = in.position() - (headerHave - heldBytes);
            header[headerHave++] = in.get();
            if (headerHave == 2) {
                if ((header[1] & 0x80) == 0) {
                    stop(sink, in, passFrom, headerStart, PROTOCOL_ERROR, "unmasked frame");
                    return;
                }
                int code = header[1] & 0x7f;
                headerNeed = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + 4;
            }
            if (headerHave < headerNeed) {
                continue;
            }
            String refused = decide(in.remaining());
            if (refused != null) {
                stop(sink, in, passFrom, headerStart, refused.startsWith("the node") ? TRY_AGAIN_LATER : PROTOCOL_ERROR, refused);
                return;
            }
            if (mode == Mode.PASS) {
                if (heldBytes > 0) {
                    sink.pass(ByteBuffer.wrap(Arrays.copyOf(header, heldBytes))); // the rest follows from this buffer
                }
            } else {
                flush(sink, in, passFrom, headerStart);
                passFrom = in.position();
                if (mode == Mode.HOLD) {
                    hold(header, headerHave);
                }
            }
            heldBytes = 0;
            headerHave = 0;
            headerNeed = 2;
            if (payloadLeft == 0) {
                frameDone(sink);
            }
        }
        if (headerHave > 0) {
            // A header cut by the end of the read: its bytes wait in header[] until it is whole.
            flush(sink, in, passFrom, in.limit() - (headerHave - heldBytes));
            heldBytes = headerHave;
        } else if (mode == Mode.PASS) {
            flush(sink, in, passFrom, in.limit());
        }
    }

    /** Decides on a whole header what happens to its frame; the reason to close instead, or null. */
    private String decide(int bytesAtHand) {
        int opcode = header[0] & 0x0f;
        fin = (header[0] & 0x80) != 0;
        long length = length();
        payloadLeft = length;
        control = (opcode & 0x08) != 0;
        if (control) {
            if (length > MAX_CONTROL_PAYLOAD || !fin) {
                return "control frame longer than 125 bytes or fragmented";
            }
            mode = Mode.PASS;
            return null;
        }
        if (opcode != 0 && inMessage) {
            return "a new message began inside a fragmented one";
        }
        if (opcode == 0 && !inMessage) {
            mode = Mode.PASS; // a continuation of nothing: Tyrus closes with 1002
            return null;
        }
        if (opcode != 0 && fin) {
            mode = length > limit ? Mode.SKIP : Mode.PASS;
            messageBytes = length;
            return mode == Mode.PASS && length > bytesAtHand && !take(length) ? "the node cannot take more partly received frames now" : null;
        }
        // A fragment: the first one, or a continuation.
        if (!inMessage) {
            inMessage = true;
            discarding = false;
            messageBytes = 0;
        }
        messageBytes += length;
        if (discarding || messageBytes > limit) {
            discarding = true;
            dropHeld();
            giveBack();
            mode = Mode.SKIP;
            return null;
        }
        mode = Mode.HOLD;
        return take(MAX_HEADER + length) ? null : "the node cannot take more partly received frames now";
    }

    /** The current frame's last byte was read. */
    private void frameDone(Sink sink) {
        if (control) {
            return; // a ping or pong between fragments leaves the message as it was
        }
        if (mode == Mode.PASS && !inMessage) {
            giveBack();
            return;
        }
        if (!fin) {
            return; // more fragments to come
        }
        if (mode == Mode.SKIP) {
            dropHeld();
            sink.skipped(messageBytes);
        } else if (mode == Mode.HOLD) {
            sink.pass(ByteBuffer.wrap(held, 0, heldLength).asReadOnlyBuffer()); // Tyrus copies what it keeps
            dropHeld();
        }
        inMessage = false;
        discarding = false;
        mode = Mode.PASS;
        giveBack();
    }

    private boolean take(long bytes) {
        if (!budget.reserve(bytes)) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    private void giveBack() {
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private void hold(ByteBuffer in, int from, int n) {
        ensure(n);
        in.duplicate().position(from).get(held, heldLength, n);
        heldLength += n;
    }

    private void hold(byte[] bytes, int n) {
        ensure(n);
        System.arraycopy(bytes, 0, held, heldLength, n);
        heldLength += n;
    }

    private void ensure(int more) {
        if (heldLength + more > held.length) {
            held = Arrays.copyOf(held, Math.max(heldLength + more, held.length * 2));
        }
    }

    private void dropHeld() {
        held = new byte[0];
        heldLength = 0;
    }

    private long length() {
        int code = header[1] & 0x7f;
        if (code < 126) {
            return code;
        }
        int bytes = code == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = length << 8 | header[2 + i] & 0xff;
        }
        return length < 0 ? Long.MAX_VALUE : length;
    }

    private void stop(Sink sink, ByteBuffer in, int passFrom, int headerStart, int code, String reason) {
        flush(sink, in, passFrom, headerStart);
        in.position(in.limit());
        stopped = true;
        dropHeld();
        giveBack();
        sink.close(code, reason);
    }

    private static void flush(Sink sink, ByteBuffer in, int from, int to) {
        if (to > from) {
            ByteBuffer slice = in.duplicate();
            slice.limit(to).position(from);
            sink.pass(slice.slice());
        }
    }

    /** The connection ended: whatever it held of the budget goes back. */
    synchronized void release() {
        stopped = true;
        dropHeld();
        giveBack();
    }
}
