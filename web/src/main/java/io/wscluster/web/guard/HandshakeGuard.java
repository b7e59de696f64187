package io.wscluster.web.guard;

import io.wscluster.metrics.Metrics;
import java.util.logging.Logger;

/**
 * Judges every WebSocket handshake before Tyrus sees it: a well-formed query (400), an allowed Origin
 * (403; cross-site WebSocket hijacking), and the limits per client address (429). An admitted handshake
 * counts as an open socket of its client's address until {@link #release}.
 */
public final class HandshakeGuard {

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());

    private final HandshakeSettings settings;
    private final Metrics metrics;
    private final AddressLimits limits;

    public HandshakeGuard(HandshakeSettings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.limits = new AddressLimits(settings.maxConnectionsPerAddress(), settings.maxHandshakesPerSecond());
    }

    /**
     * The verdict: admitted (with the client's address, which {@link #release} must be given when the socket
     * ends) or refused (with the HTTP status, error code and message to answer).
     */
    public record Verdict(String client, int status, String code, String message) {
        public boolean admitted() {
            return status == 0;
        }
    }

    public Verdict check(Handshake handshake) {
        String malformed = UriSyntax.queryProblem(handshake.query());
        if (malformed != null) {
            return refuse(400, "BAD_REQUEST", malformed);
        }
        ClientAddress client = ClientAddress.of(handshake.peer(), handshake.secure(), handshake.forwardedFor(),
                handshake.forwardedProto(), settings.trustedProxies());
        String origin = handshake.origin();
        if (origin != null && !originAllowed(origin, handshake.host(), client.scheme())) {
            return refuse(403, "ORIGIN_REFUSED", "pages from " + origin + " may not connect");
        }
        String limited = limits.admit(client.address(), System.currentTimeMillis());
        if (limited != null) {
            LOG.fine(() -> "Refused a handshake: " + limited);
            return refuse(429, "RATE_LIMITED", limited);
        }
        return new Verdict(client.address(), 0, null, null);
    }

    /** An admitted socket has ended, or its handshake failed after all. */
    public void release(String client) {
        limits.release(client);
    }

    private Verdict refuse(int status, String code, String message) {
        metrics.refused(code);
        return new Verdict(null, status, code, message);
    }

    /** Whether a page from {@code origin} may connect: see {@link HandshakeSettings#allowsOrigin}. */
    public boolean originAllowed(String origin, String host, String scheme) {
        return settings.allowsOrigin(origin, host, scheme);
    }
}
