package io.wscluster.web.transport;

/** What serves the event-stream path: answers each request the handshake guard admitted. */
public interface EventStreams {

    /**
     * Answers the request before returning: {@link StreamConnection#start} to stream events, or {@link
     * StreamConnection#refuse}. Runs on a listener thread, inside the application's context.
     */
    void open(StreamRequest request, StreamConnection connection);
}
