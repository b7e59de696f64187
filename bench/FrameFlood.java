import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory attack of a client without a token: SOCKETS WebSocket connections to one node, each announcing
 * one text frame of FRAME_BYTES and sending SEND_BYTES of it, then holding the connection for HOLD_SECONDS.
 * A node that buffered partly received frames would hold SOCKETS x SEND_BYTES; prints how the node answered
 * (sockets it closed, error frames) at the end. Single-file program:
 *
 *   java bench/FrameFlood.java ws://127.0.0.1:8080/ws 100 4194000 1048576 40
 *
 * Everything on 127.0.0.1; bounded in sockets, bytes and time.
 */
public class FrameFlood {

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FrameFlood WS_URL SOCKETS FRAME_BYTES SEND_BYTES HOLD_SECONDS");
            System.exit(2);
        }
        URI target = URI.create(args[0]);
        int sockets = Math.min(Integer.parseInt(args[1]), 2_000);
        long frameBytes = Long.parseLong(args[2]);
        int sendBytes = (int) Math.min(Long.parseLong(args[3]), frameBytes);
        long holdMillis = Math.min(Long.parseLong(args[4]), 600) * 1000;
        if (!"127.0.0.1".equals(target.getHost())) {
            throw new IllegalArgumentException("127.0.0.1 only");
        }
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger closedByNode = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        List<Socket> open = new ArrayList<>();
        byte[] chunk = new byte[64 * 1024];
        long start = System.nanoTime();
        for (int i = 0; i < sockets; i++) {
            Socket socket = new Socket(target.getHost(), target.getPort());
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            out.write(("GET " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String status = readHeader(in);
            if (!status.startsWith("HTTP/1.1 101")) {
                refused.incrementAndGet();
                socket.close();
                continue;
            }
            // One text frame, FIN, masked, announcing frameBytes; then sendBytes of its payload.
            byte[] header = new byte[14];
            header[0] = (byte) 0x81;
            header[1] = (byte) (0x80 | 127);
            for (int b = 0; b < 8; b++) {
                header[2 + b] = (byte) (frameBytes >>> (56 - 8 * b));
            }
            ThreadLocalRandom.current().nextBytes(chunk);
            try {
                out.write(header);
                for (int sent = 0; sent < sendBytes; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, sendBytes - sent));
                }
                out.flush();
                open.add(socket);
            } catch (IOException e) {
                closedByNode.incrementAndGet(); // the node closed it while it was sending
                socket.close();
            }
        }
        System.out.printf("%d sockets sent %,d bytes of a %,d-byte frame each in %d ms (%d refused at the handshake, %d closed while sending)%n",
                open.size(), sendBytes, frameBytes, (System.nanoTime() - start) / 1_000_000, refused.get(), closedByNode.get());
        long until = System.currentTimeMillis() + holdMillis;
        while (System.currentTimeMillis() < until) {
            Thread.sleep(Math.min(1_000, Math.max(1, until - System.currentTimeMillis()))); // holding, as the attacker does
        }
        int stillOpen = 0;
        for (Socket socket : open) {
            socket.setSoTimeout(200);
            try {
                int read = socket.getInputStream().read(new byte[4096]);
                if (read < 0) {
                    closedByNode.incrementAndGet();
                } else {
                    answered.incrementAndGet(); // an error frame (MESSAGE_TOO_LARGE) or a close frame
                    stillOpen++;
                }
            } catch (java.net.SocketTimeoutException e) {
                stillOpen++;
            } catch (IOException e) {
                closedByNode.incrementAndGet();
            }
            socket.close();
        }
        System.out.printf("after %d s: %d sockets still open (%d with an answer from the node), %d closed by the node%n",
                holdMillis / 1000, stillOpen, answered.get(), closedByNode.get());
    }

    private static String readHeader(InputStream in) throws IOException {
        StringBuilder header = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            header.append((char) c);
            if (header.length() >= 4 && header.substring(header.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return header.toString();
    }
}
