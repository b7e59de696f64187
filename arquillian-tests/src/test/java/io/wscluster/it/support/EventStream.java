package io.wscluster.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client on a plain socket, written from the HTML specification's event-stream format:
 * sends {@code GET} with the headers given, and reads the answer, a refusal's JSON body or events as they
 * come (on a thread of its own), counting comments, until the stream ends or {@link #close} cuts it.
 */
public final class EventStream implements AutoCloseable {

    /** One event: its {@code id} line (null when it had none) and its data, a JSON frame. */
    public record Event(String id, JsonObject data) {
        public String type() {
            return data.getString("type", "");
        }
    }

    private static final Event END = new Event(null, JsonObject.EMPTY_JSON_OBJECT);

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final String body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private volatile boolean ended;

    private EventStream(Socket socket, int status, Map<String, String> headers, String body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** Opens {@code GET pathAndQuery} on 127.0.0.1:{@code port}, each of {@code headers} as "Name: value". */
    public static EventStream open(int port, String pathAndQuery, String... headers) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(0);
            StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nAccept: text/event-stream\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> head = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line; !(line = line(in)).isEmpty(); ) {
                int colon = line.indexOf(':');
                head.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String contentType = head.getOrDefault("Content-Type", "");
            if (status != 200 || !contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                String body = head.containsKey("Content-Length")
                        ? new String(in.readNBytes(Integer.parseInt(head.get("Content-Length"))), StandardCharsets.UTF_8)
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                socket.close();
                return new EventStream(socket, status, head, body);
            }
            EventStream stream = new EventStream(socket, status, head, null);
            Thread reader = new Thread(() -> stream.read(in), "event-stream-" + port);
            reader.setDaemon(true);
            reader.start();
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line of the response's head, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the response ended in its head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private void read(InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, Json.createReader(new StringReader(data.toString())).readObject()));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // cut: the end of the stream
        } finally {
            ended = true;
            events.add(END);
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The body of a refusal, parsed. */
    public JsonObject refusal() {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** The next event that matches, skipping others (kept in {@link #seen}); fails when none comes within {@code timeout}. */
    public Event await(Predicate<Event> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null || event == END) {
                    if (event == END) {
                        events.add(END);
                    }
                    throw new AssertionError((event == null ? "no matching event within " + timeout : "the stream ended") + "; seen: " + seen);
                }
                seen.add(event);
                if (wanted.test(event)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message event on {@code channel}. */
    public Event awaitMessage(String channel, Duration timeout) {
        return await(e -> e.type().equals("message") && channel.equals(e.data().getString("channel", null)), timeout);
    }

    /** Every event taken so far by {@link #await}, in order. */
    public List<Event> seen() {
        return seen;
    }

    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream (or it was cut). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed anyway
        }
    }
}
