package io.wscluster.web.guard;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The client's side of an upgraded connection, read through a check of each frame's header: RFC 6455
 * (5.1) requires clients to mask every frame and servers to close the connection on one that is not, but
 * Tyrus 2.1 reads unmasked frames as if they were masked. An unmasked frame gets its RSV2 bit set on the
 * way through, which Tyrus refuses as a protocol error: the client is closed with 1002. A frame's first
 * byte is held back until its second (which carries the mask bit) has arrived, so it can still be marked.
 */
final class MaskCheckingInputStream extends ServletInputStream {

    private static final int RSV2 = 0x20;

    private enum State { FIRST, SECOND, LENGTH, MASK, PAYLOAD, DONE }

    private final ServletInputStream in;
    private State state = State.FIRST;
    private int lengthBytesLeft;
    private long length;
    private int maskBytesLeft;
    private long payloadLeft;
    private int pending = -1; // a frame's first byte, held back until its second arrives

    MaskCheckingInputStream(ServletInputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int count = 0;
        int firstByteAt = -1;
        if (pending >= 0) {
            if (!in.isReady()) {
                return 0; // nothing new: the held byte waits for its successor
            }
            b[off] = (byte) pending;
            pending = -1;
            firstByteAt = off;
            count = 1;
        }
        int n = count < len ? in.read(b, off + count, len - count) : 0;
        if (n < 0) {
            return count > 0 ? count : -1;
        }
        int end = off + count + n;
        for (int i = off + count; i < end; i++) {
            switch (state) {
                case FIRST -> {
                    firstByteAt = i;
                    state = State.SECOND;
                }
                case SECOND -> {
                    int code = b[i] & 0x7f;
                    if ((b[i] & 0x80) == 0) {
                        b[firstByteAt] |= RSV2; // Tyrus closes with 1002; nothing after it is looked at
                        state = State.DONE;
                        return end - off;
                    }
                    length = code < 126 ? code : 0;
                    lengthBytesLeft = code == 126 ? 2 : code == 127 ? 8 : 0;
                    maskBytesLeft = 4;
                    state = lengthBytesLeft > 0 ? State.LENGTH : State.MASK;
                }
                case LENGTH -> {
                    length = length << 8 | b[i] & 0xff;
                    if (--lengthBytesLeft == 0) {
                        state = State.MASK;
                    }
                }
                case MASK -> {
                    if (--maskBytesLeft == 0) {
                        payloadLeft = length;
                        state = payloadLeft > 0 ? State.PAYLOAD : State.FIRST;
                    }
                }
                case PAYLOAD -> {
                    long skip = Math.min(payloadLeft, end - i);
                    payloadLeft -= skip;
                    i += (int) skip - 1;
                    if (payloadLeft == 0) {
                        state = State.FIRST;
                    }
                }
                case DONE -> {
                    return end - off;
                }
            }
        }
        if (state == State.SECOND && firstByteAt == end - 1) {
            pending = b[end - 1] & 0xff;
            return end - 1 - off;
        }
        return end - off;
    }

    /** Tyrus reads in blocks only; a single byte could not be checked without holding it back. */
    @Override
    public int read() throws IOException {
        throw new IOException("single-byte reads are not supported here");
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean isFinished() {
        return pending < 0 && in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}
