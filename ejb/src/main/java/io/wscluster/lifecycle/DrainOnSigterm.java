package io.wscluster.lifecycle;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM (what orchestrators and {@code cluster.sh down} send) into a graceful drain instead of an
 * abrupt stop; a second SIGTERM during the drain exits at once. The JDK offers no supported API for
 * signals, hence {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK since 9).
 */
@ApplicationScoped
public class DrainOnSigterm {

    private static final Logger LOG = Logger.getLogger(DrainOnSigterm.class.getName());
    private static final Signal TERM = new Signal("TERM");

    @Inject
    Drain drain;

    private SignalHandler previous;
    /** The JVM's signal thread has no context class loader; CDI's proxies need the application's. */
    private ClassLoader applicationLoader;

    void install(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!drain.settings().onSigterm()) {
            return;
        }
        applicationLoader = Thread.currentThread().getContextClassLoader();
        try {
            previous = Signal.handle(TERM, this::onTerm);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "Cannot handle SIGTERM; it will stop the node without draining", e);
        }
    }

    @PreDestroy
    void restore() {
        if (previous != null) {
            Signal.handle(TERM, previous);
        }
    }

    private void onTerm(Signal signal) {
        Thread.currentThread().setContextClassLoader(applicationLoader);
        if (drain.start()) {
            LOG.info("SIGTERM: draining; a second SIGTERM exits at once");
            return;
        }
        LOG.info("SIGTERM while draining: exiting now");
        try {
            previous.handle(signal); // the JVM's own handler: an orderly exit with 143
        } catch (UnsupportedOperationException e) {
            System.exit(128 + signal.getNumber());
        }
    }
}
