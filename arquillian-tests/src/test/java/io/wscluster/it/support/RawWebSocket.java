package io.wscluster.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A WebSocket client on a plain socket, written from RFC 6455 and nothing else, for what library clients
 * will not do: read only when told to (with a small receive buffer, so a stalled reader backs frames up on
 * the server at once), and send frames exactly as given (unmasked, fragmented, odd opcodes, bad UTF-8).
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame as received. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame; 1005 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String handshakeStatus;

    private RawWebSocket(Socket socket, String handshakeStatus) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.handshakeStatus = handshakeStatus;
    }

    /**
     * Opens a connection and completes the handshake; {@code receiveBuffer} bytes of socket receive buffer
     * (0: the system's default).
     */
    public static RawWebSocket connect(URI uri, int receiveBuffer) {
        return connect(uri, receiveBuffer, "");
    }

    /** As {@link #connect(URI, int)}, with extra request header lines (each ending in CRLF). */
    public static RawWebSocket connect(URI uri, int receiveBuffer, String extraHeaders) {
        return connect(uri.getHost(), uri.getPort(), uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                receiveBuffer, extraHeaders);
    }

    /** A handshake for a request target sent exactly as given, malformed ones included (URI would refuse them). */
    public static RawWebSocket connect(String host, int port, String target, String extraHeaders) {
        return connect(host, port, target, 0, extraHeaders);
    }

    private static RawWebSocket connect(String host, int port, String path, int receiveBuffer, String extraHeaders) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
            }
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(30_000);
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String status = readHead(socket.getInputStream());
            return new RawWebSocket(socket, status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The handshake response's status line, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
    public String handshakeStatus() {
        return handshakeStatus;
    }

    public boolean upgraded() {
        return handshakeStatus.contains(" 101 ");
    }

    public void sendText(String text) {
        send(true, TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one frame; {@code masked} false breaks RFC 6455 (clients must mask). */
    public void send(boolean fin, int opcode, byte[] payload, boolean masked) {
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write((fin ? 0x80 : 0) | opcode);
            int maskBit = masked ? 0x80 : 0;
            if (payload.length < 126) {
                frame.write(maskBit | payload.length);
            } else if (payload.length < 65536) {
                frame.write(maskBit | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            } else {
                frame.write(maskBit | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift));
                }
            }
            byte[] body = payload.clone();
            if (masked) {
                byte[] mask = new byte[4];
                RANDOM.nextBytes(mask);
                frame.write(mask);
                for (int i = 0; i < body.length; i++) {
                    body[i] ^= mask[i % 4];
                }
            }
            frame.write(body);
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a masked frame announcing {@code announced} payload bytes and sends only {@code part} of them: a
     * client that stalls mid-frame, or streams a frame far larger than it will ever finish.
     */
    public void sendStart(int opcode, long announced, byte[] part) {
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(part.length + 14);
            frame.write(0x80 | opcode);
            if (announced < 126) {
                frame.write(0x80 | (int) announced);
            } else if (announced < 65536) {
                frame.write(0x80 | 126);
                frame.write((int) (announced >>> 8));
                frame.write((int) announced);
            } else {
                frame.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) (announced >>> shift));
                }
            }
            frame.write(new byte[] {7, 7, 7, 7}); // the mask; what it hides does not matter here
            frame.write(part);
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next frame; fails on timeout or end of stream. */
    public Frame read() {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("the server masked a frame");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames on a thread of its own, handing each to {@code sink}, until the stream ends. */
    public Thread readInBackground(Consumer<Frame> sink, Runnable ended) {
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    sink.accept(read());
                }
            } catch (RuntimeException e) {
                ended.run();
            }
        }, "raw-websocket-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Frames read until the server closes (its close frame included) or {@code seconds} pass. */
    public BlockingQueue<Frame> readAll(long seconds) {
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < deadline) {
                Frame frame = read();
                frames.add(frame);
                if (frame.opcode() == CLOSE) {
                    break;
                }
            }
        } catch (UncheckedIOException e) {
            // end of stream or timeout: what arrived is the answer
        }
        return frames;
    }

    /** Whether the server has closed the TCP connection (a read sees the end of the stream). */
    public boolean endOfStream(int waitMillis) {
        try {
            socket.setSoTimeout(waitMillis);
            while (true) {
                read();
            }
        } catch (UncheckedIOException e) {
            return e.getCause() instanceof EOFException || socket.isClosed() || e.getCause().getMessage() != null
                    && e.getCause().getMessage().contains("reset");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.substring(0, head.indexOf("\r\n"));
    }
}
