package io.wscluster.web.socket;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.spi.Writer;

/**
 * Finds a Tyrus session's transport writer (session, its remote endpoint's web socket, that socket's
 * protocol handler, its writer), which takes bytes that are already whole frames: what Tyrus's own
 * broadcast does to encode a message once for many sessions. Tyrus has no public way to it, hence
 * reflection, resolved once per class; should its internals change, this answers null, sessions are
 * written through the standard API (slower, still correct) and it is logged once.
 */
final class TyrusWriters {

    private static final Logger LOG = Logger.getLogger(TyrusWriters.class.getName());

    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile Field webSocket;
    private volatile Field protocolHandler;
    private volatile Field writer;

    /** The session's writer, or null if it cannot be reached. */
    Writer of(Session session) {
        try {
            Object remote = session.getAsyncRemote();
            Object socket = read(remote, "webSocket", 0);
            Object handler = read(socket, "protocolHandler", 1);
            Object found = read(handler, "writer", 2);
            return found instanceof Writer w ? w : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Cannot reach Tyrus's transport writer of " + session.getClass().getName()
                        + "; every frame will be encoded per connection", e);
            }
            return null;
        }
    }

    private Object read(Object target, String name, int slot) throws ReflectiveOperationException {
        Field field = slot == 0 ? webSocket : slot == 1 ? protocolHandler : writer;
        if (field == null || !field.getDeclaringClass().isInstance(target)) {
            field = find(target.getClass(), name);
            field.setAccessible(true);
            if (slot == 0) {
                webSocket = field;
            } else if (slot == 1) {
                protocolHandler = field;
            } else {
                writer = field;
            }
        }
        return field.get(target);
    }

    private static Field find(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(name + " in " + type.getName());
    }
}
