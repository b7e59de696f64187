package io.wscluster.web.transport;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.IOStrategy;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

/**
 * A listener's I/O strategy, except for connections that left HTTP ({@link HttpExit#leave}): their
 * reads and writes run on the selector thread that found them ready. The listener's own strategy hands
 * every read to a worker thread, which costs, per frame, a thread wake-up, two changes of the socket's
 * interest and a wake-up of the selector; an idle client's ping every 25 s paid all of it. What a frame
 * asks that may wait on the cluster goes to a worker from there ({@link RequestQueue}).
 */
final class SelectorReads implements IOStrategy {

    private static final Attribute<Boolean> LEFT_HTTP = Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
            SelectorReads.class.getName() + ".leftHttp");
    /** The transports whose strategy this deployment replaced, to be given theirs back when it stops. */
    private static final Set<Transport> INSTALLED = ConcurrentHashMap.newKeySet();

    private final IOStrategy listener;

    private SelectorReads(IOStrategy listener) {
        this.listener = listener;
    }

    /** From now on the connection's reads and writes run on its selector thread. */
    static void leftHttp(Connection<?> connection) {
        LEFT_HTTP.set(connection, Boolean.TRUE);
        Transport transport = connection.getTransport();
        if (!(transport.getIOStrategy() instanceof SelectorReads)) {
            synchronized (INSTALLED) {
                if (!(transport.getIOStrategy() instanceof SelectorReads)) {
                    transport.setIOStrategy(new SelectorReads(transport.getIOStrategy()));
                    INSTALLED.add(transport);
                }
            }
        }
    }

    /** Gives every transport its own strategy back (the deployment stops; its connections are closing). */
    static void uninstall() {
        synchronized (INSTALLED) {
            for (Transport transport : INSTALLED) {
                if (transport.getIOStrategy() instanceof SelectorReads reads) {
                    transport.setIOStrategy(reads.listener);
                }
            }
            INSTALLED.clear();
        }
    }

    private static boolean onSelector(Connection<?> connection, IOEvent event) {
        return (event == IOEvent.READ || event == IOEvent.WRITE) && LEFT_HTTP.isSet(connection);
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event) throws IOException {
        return executeIoEvent(connection, event, true);
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event, boolean isIoEventEnabled) throws IOException {
        IOStrategy strategy = onSelector(connection, event) ? SameThreadIOStrategy.getInstance() : listener;
        return strategy.executeIoEvent(connection, event, isIoEventEnabled);
    }

    @Override
    public Executor getThreadPoolFor(Connection connection, IOEvent event) {
        return onSelector(connection, event) ? null : listener.getThreadPoolFor(connection, event);
    }

    @Override
    public ThreadPoolConfig createDefaultWorkerPoolConfig(Transport transport) {
        return listener.createDefaultWorkerPoolConfig(transport);
    }
}
