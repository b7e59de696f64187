package io.wscluster.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One open {@code GET /sse} of the client: the channels it was opened with, and its reader, a thread of its
 * own that hands each event's data (one frame) to the client and tells it when the stream ends.
 */
final class EventStream {

    /** The channels in its URL. */
    final Set<String> channels;
    /** Its channels not yet answered ({@code subscribed} or {@code error}). */
    final Set<String> awaiting;
    private volatile InputStream body;
    private volatile boolean cancelled;
    private volatile long heardAtNanos = System.nanoTime();
    boolean opened;

    EventStream(Set<String> channels) {
        this.channels = Set.copyOf(channels);
        this.awaiting = new HashSet<>(channels);
    }

    /**
     * Reads events from {@code response} until it ends, on a thread of its own: each event's data lines,
     * joined, go to {@code onEvent}; then {@code onEnd} runs (not after {@link #cancel()}).
     */
    void read(InputStream response, Consumer<String> onEvent, Runnable onEnd) {
        body = response;
        if (cancelled) {
            closeQuietly(response);
            return;
        }
        Thread reader = new Thread(() -> {
            StringBuilder data = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    heardAtNanos = System.nanoTime();
                    if (line.isEmpty()) { // an event is complete
                        if (data.length() > 0) {
                            onEvent.accept(data.toString());
                            data.setLength(0);
                        }
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                    } // the event id is the client's positions, kept up to date by the messages; comments are signs of life
                }
            } catch (IOException e) {
                // ended: cancelled, or the connection broke
            }
            if (!cancelled) {
                onEnd.run();
            }
        }, "wscluster-client-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** How long since the stream last sent anything (a keep-alive comment at least every 15 s by default). */
    long silentNanos() {
        return System.nanoTime() - heardAtNanos;
    }

    /** Ends the stream from this side; its reader stops without calling back. */
    void cancel() {
        cancelled = true;
        InputStream open = body;
        if (open != null) {
            closeQuietly(open);
        }
    }

    /** Closes a response body whose stream is not wanted (or no longer). */
    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
