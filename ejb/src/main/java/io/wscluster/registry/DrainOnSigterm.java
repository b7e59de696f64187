package io.wscluster.registry;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    NodeLifecycle lifecycle;

    @Inject
    @ConfigProperty(name = "wscluster.drain.on-sigterm", defaultValue = "true")
    boolean enabled;

    private SignalHandler previous;

    void install(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!enabled) {
            return;
        }
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
        if (lifecycle.drain()) {
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
