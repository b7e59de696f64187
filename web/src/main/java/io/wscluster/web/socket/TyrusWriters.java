package io.wscluster.web.socket;

import io.wscluster.web.container.GrizzlyExchange;
import io.wscluster.web.container.Member;
import io.wscluster.web.guard.MaskCheckingUpgradeHandler;
import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.tyrus.spi.Writer;

/**
 * Finds, for a Tyrus session, a writer that takes bytes which are already whole frames: what Tyrus's own
 * broadcast does to encode a message once for many sessions. Best is {@link GrizzlyWriter}, straight onto
 * the client's Grizzly connection (session, its remote endpoint's web socket, that socket's protocol
 * handler, its servlet writer, Tyrus's proxy of the upgrade handler, that handler, Payara's web
 * connection, its Catalina request, the Grizzly request, its connection); next Tyrus's transport writer
 * (the servlet writer). Neither has a public way to it, hence reflection, resolved once per class; should
 * the internals change, this falls back a step (logged once): to the servlet writer, or to null, when
 * sessions are written through the standard API (slower, still correct).
 */
final class TyrusWriters {

    private static final Logger LOG = Logger.getLogger(TyrusWriters.class.getName());

    private final AtomicBoolean warnedTyrus = new AtomicBoolean();
    private final AtomicBoolean warnedGrizzly = new AtomicBoolean();
    private final Member webSocket = Member.field("webSocket");
    private final Member protocolHandler = Member.field("protocolHandler");
    private final Member writer = Member.field("writer");
    private final Member upgradeHandler = Member.field("tyrusHttpUpgradeHandler");
    private final Member proxied = Member.field("handler");
    private final Member connection = Member.method("getConnection");

    /** The writer to use for the session, or null if neither can be reached. */
    Writer of(Session session) {
        Writer tyrus;
        try {
            Object handler = protocolHandler.read(webSocket.read(session.getAsyncRemote()));
            tyrus = writer.read(handler) instanceof Writer w ? w : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (warnedTyrus.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Cannot reach Tyrus's transport writer of " + session.getClass().getName()
                        + "; every frame will be encoded per connection", e);
            }
            return null;
        }
        if (tyrus == null || session.isSecure()) {
            return tyrus; // a TLS connection's bytes must pass the filter chain's encryption
        }
        try {
            Connection<?> grizzly = grizzlyConnection(tyrus);
            if (grizzly != null) {
                return new GrizzlyWriter(grizzly, tyrus);
            }
            warnGrizzly(tyrus, null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnGrizzly(tyrus, e);
        }
        return tyrus;
    }

    private Connection<?> grizzlyConnection(Writer tyrus) throws ReflectiveOperationException {
        Object upgrade = upgradeHandler.read(tyrus); // Tyrus's proxy of the handler the container made
        if (proxied.read(upgrade) instanceof MaskCheckingUpgradeHandler handler && handler.containerConnection() != null) {
            Object packet = GrizzlyExchange.requestPacket(GrizzlyExchange.request(handler.containerConnection()));
            return connection.read(packet) instanceof Connection<?> found ? found : null;
        }
        return null;
    }

    private void warnGrizzly(Writer tyrus, Throwable failure) {
        if (warnedGrizzly.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Cannot reach the Grizzly connection under " + tyrus.getClass().getName()
                    + "; frames will be written through the servlet output stream", failure);
        }
    }
}
