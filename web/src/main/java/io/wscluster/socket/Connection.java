package io.wscluster.socket;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

/** One client connection: its user, its subscriptions, its outbound queue and its inbound rate limit. */
final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    /**
     * Tyrus reschedules an idle-timeout task on the container's managed executor for every frame it
     * sends, whatever the timeout, and Payara's context capture for that task runs a ServiceLoader over
     * the thread's context class loader: with the application's loader, a scan of every module and jar,
     * which cost a busy node about half its CPU. During the send the context loader is one with nothing
     * to find; sending itself loads nothing through it.
     */
    private static final ClassLoader NOTHING_TO_FIND = new ClassLoader(null) {
    };

    private final Session session;
    private final String user;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final OutboundQueue outbound;
    private final RateLimiter inbound;
    private final Runnable onDropped;
    private volatile long lastHeardNanos = System.nanoTime();

    /** @param onDropped runs when the client is given up on (too slow, or a send failed), before it is closed */
    Connection(Session session, String user, SocketSettings settings, Runnable onDropped) {
        this.session = session;
        this.user = user;
        this.onDropped = onDropped;
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        remote.setSendTimeout(settings.sendTimeoutMillis());
        this.outbound = new OutboundQueue(settings.outboundQueue(), (frame, done) -> send(remote, frame, done),
                this::sendFailed);
        this.inbound = new RateLimiter(settings.maxFramesPerSecond(), System.nanoTime());
    }

    String id() {
        return session.getId();
    }

    String user() {
        return user;
    }

    /** The channels this connection is subscribed to; the registry keeps it in step with its own index. */
    Set<String> channels() {
        return channels;
    }

    /** Queues a frame; never blocks. A client whose queue is full is closed as a slow consumer. */
    void send(String frame) {
        send(frame, false);
    }

    /** @param urgent ahead of normal frames already queued (high-priority messages) */
    void send(String frame, boolean urgent) {
        if (!outbound.offer(frame, urgent)) {
            LOG.log(Level.INFO, "Closing slow consumer {0} (user {1}): outbound queue full", new Object[] {id(), user});
            drop("slow consumer: outbound queue overflow");
        }
    }

    int queuedFrames() {
        return outbound.depth();
    }

    boolean tryAcceptFrame() {
        return inbound.tryAcquire(System.nanoTime());
    }

    /** The client sent a frame: it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos(long now) {
        return now - lastHeardNanos;
    }

    void close(CloseReason reason) {
        outbound.close();
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close of " + id() + " failed; the peer is already gone", e);
        }
    }

    private static void send(RemoteEndpoint.Async remote, String frame, Consumer<Throwable> done) {
        Thread thread = Thread.currentThread();
        ClassLoader application = thread.getContextClassLoader();
        thread.setContextClassLoader(NOTHING_TO_FIND);
        try {
            remote.sendText(frame, (SendResult result) -> withLoader(application,
                    () -> done.accept(result.isOK() ? null : result.getException())));
        } catch (RuntimeException e) {
            withLoader(application, () -> done.accept(e)); // the session closed under us
        } finally {
            thread.setContextClassLoader(application);
        }
    }

    /** Runs the completion (which may close the connection or update affinity) with the application's loader. */
    private static void withLoader(ClassLoader loader, Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader current = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(current);
        }
    }

    private void sendFailed(Throwable failure) {
        // A timed-out send is a client that stopped reading; anything else is a peer already gone.
        LOG.log(Level.FINE, "Send to " + id() + " failed; closing it", failure);
        drop("slow consumer: send failed");
    }

    private void drop(String reason) {
        onDropped.run();
        close(new CloseReason(Closes.SLOW_CONSUMER, reason));
    }
}
