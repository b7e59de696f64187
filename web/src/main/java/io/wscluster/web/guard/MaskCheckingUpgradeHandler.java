package io.wscluster.web.guard;

import io.wscluster.web.container.RetainedExchange;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, reading the client through {@link MaskCheckingInputStream}, and telling the
 * handshake guard when the connection ends ({@link #destroy}), so connections per address are counted.
 * Once upgraded, it gives back what the container kept of the handshake ({@link RetainedExchange}).
 * {@link HandshakeGuard} has the container create this class instead of Tyrus's own.
 */
public class MaskCheckingUpgradeHandler extends TyrusHttpUpgradeHandler {

    private static final RetainedExchange HANDSHAKE = new RetainedExchange();

    private volatile Runnable onEnd = () -> { };
    private volatile WebConnection container;

    void onEnd(Runnable action) {
        this.onEnd = action;
    }

    /** The container's own connection (Payara's, not the wrapper Tyrus reads through); null before init. */
    public WebConnection containerConnection() {
        return container;
    }

    @Override
    public void init(WebConnection connection) {
        container = connection;
        HANDSHAKE.releaseHttp(connection);
        super.init(new WebConnection() {
            private final MaskCheckingInputStream in;

            {
                try {
                    in = new MaskCheckingInputStream(connection.getInputStream());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public ServletInputStream getInputStream() {
                return in;
            }

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                return connection.getOutputStream();
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        });
        HANDSHAKE.releaseTyrus(this);
    }

    @Override
    public void destroy() {
        try {
            super.destroy();
        } finally {
            onEnd.run();
        }
    }
}
