package io.wscluster.balancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client for HAProxy's runtime API (the "stats socket"), on a Unix socket ({@code unix:/path}) or TCP
 * ({@code host:port}). Commands are sent in interactive ("prompt") mode, so one connection carries many
 * commands and each answer is told apart by the prompt that follows it.
 */
public final class HaproxyRuntimeApi {

    /** Commands written before their answers are read: bounded, so neither side's buffers fill up and stall. */
    private static final int CHUNK = 200;
    private static final String PROMPT = "\n> ";
    private static final long TIMEOUT_MILLIS = 5_000;

    private final SocketAddress address;
    private final StandardProtocolFamily family;

    public HaproxyRuntimeApi(String location) {
        if (location.startsWith("unix:")) {
            address = UnixDomainSocketAddress.of(Path.of(location.substring("unix:".length())));
            family = StandardProtocolFamily.UNIX;
        } else {
            int colon = location.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("expected unix:/path or host:port, got " + location);
            }
            address = new InetSocketAddress(location.substring(0, colon), Integer.parseInt(location.substring(colon + 1)));
            family = StandardProtocolFamily.INET;
        }
    }

    /** Runs the commands in order on one connection; returns each one's answer, without the trailing newline. */
    public List<String> execute(List<String> commands) throws IOException {
        List<String> answers = new ArrayList<>(commands.size());
        if (commands.isEmpty()) {
            return answers;
        }
        try (SocketChannel channel = SocketChannel.open(family); Selector selector = Selector.open()) {
            channel.connect(address);
            channel.configureBlocking(false); // reads and writes wait on the selector, so a stuck HAProxy times out
            Connection reader = new Connection(channel, selector);
            reader.write("prompt\n");
            reader.next();
            for (int from = 0; from < commands.size(); from += CHUNK) {
                List<String> chunk = commands.subList(from, Math.min(commands.size(), from + CHUNK));
                StringBuilder text = new StringBuilder();
                for (String command : chunk) {
                    if (command.indexOf('\n') >= 0 || command.indexOf(';') >= 0) {
                        throw new IllegalArgumentException("one command per entry: " + command);
                    }
                    text.append(command).append('\n');
                }
                reader.write(text.toString());
                for (int i = 0; i < chunk.size(); i++) {
                    answers.add(reader.next());
                }
            }
            reader.write("quit\n");
        }
        return answers;
    }

    /** Writes commands and splits what HAProxy sends back into answers at each prompt, all within one deadline. */
    private static final class Connection {
        private final SocketChannel channel;
        private final Selector selector;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private final StringBuilder received = new StringBuilder();
        private final long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;

        Connection(SocketChannel channel, Selector selector) throws IOException {
            this.channel = channel;
            this.selector = selector;
            channel.register(selector, 0);
        }

        void write(String text) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(SelectionKey.OP_WRITE);
                }
            }
        }

        String next() throws IOException {
            int end;
            while ((end = received.indexOf(PROMPT)) < 0) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    throw new IOException("HAProxy closed the runtime API connection");
                }
                if (read == 0) {
                    await(SelectionKey.OP_READ);
                    continue;
                }
                buffer.flip();
                received.append(StandardCharsets.UTF_8.decode(buffer));
            }
            String answer = received.substring(0, end);
            received.delete(0, end + PROMPT.length());
            return answer.strip();
        }

        private void await(int operation) throws IOException {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("HAProxy did not answer within " + TIMEOUT_MILLIS + " ms");
            }
            channel.keyFor(selector).interestOps(operation);
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }
}
