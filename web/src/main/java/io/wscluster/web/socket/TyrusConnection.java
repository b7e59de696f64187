package io.wscluster.web.socket;

import io.wscluster.hub.FrameSink;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A client's WebSocket session as the hub's transport: frames go out through Tyrus's asynchronous remote. */
final class TyrusConnection implements FrameSink {

    private static final Logger LOG = Logger.getLogger(TyrusConnection.class.getName());

    private final Session session;
    private final RemoteEndpoint.Async remote;

    TyrusConnection(Session session, long sendTimeoutMillis) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        remote.setSendTimeout(sendTimeoutMillis);
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        try {
            remote.sendText(frame, (SendResult result) -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(e); // the session closed under us
        }
    }

    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close of " + id() + " failed; the peer is already gone", e);
        }
    }
}
