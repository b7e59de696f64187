package io.wscluster.socket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Per-connection limits, from MicroProfile Config; the README lists each key with its default. */
@ApplicationScoped
public class SocketSettings {

    /** Largest inbound text frame, in UTF-8 bytes; a larger one gets a MESSAGE_TOO_LARGE error frame. */
    @Inject
    @ConfigProperty(name = "wscluster.message.max-bytes", defaultValue = "65536")
    int maxFrameBytes;

    /** Frames queued for one client before it counts as a slow consumer and is closed with 4001. */
    @Inject
    @ConfigProperty(name = "wscluster.session.outbound-queue", defaultValue = "1024")
    int outboundQueue;

    /** How long one send may take before the peer counts as dead. */
    @Inject
    @ConfigProperty(name = "wscluster.session.send-timeout-ms", defaultValue = "10000")
    long sendTimeoutMillis;

    /** A connection that sends nothing (not even a ping) for this long is closed with 4002; 0 disables. */
    @Inject
    @ConfigProperty(name = "wscluster.session.idle-timeout-ms", defaultValue = "120000")
    long idleTimeoutMillis;

    /** Channels one connection may subscribe to. */
    @Inject
    @ConfigProperty(name = "wscluster.session.max-subscriptions", defaultValue = "100")
    int maxSubscriptions;

    /** Inbound frames per second per connection (bursts up to the same); 0 disables the limit. */
    @Inject
    @ConfigProperty(name = "wscluster.session.max-frames-per-second", defaultValue = "1000")
    int maxFramesPerSecond;

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    int outboundQueue() {
        return outboundQueue;
    }

    long sendTimeoutMillis() {
        return sendTimeoutMillis;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    int maxSubscriptions() {
        return maxSubscriptions;
    }

    int maxFramesPerSecond() {
        return maxFramesPerSecond;
    }
}
