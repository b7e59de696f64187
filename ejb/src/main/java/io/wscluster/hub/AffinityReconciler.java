package io.wscluster.hub;

import io.wscluster.affinity.AffinityService;
import io.wscluster.affinity.AffinitySettings;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/** Every {@code wscluster.affinity.reconcile-ms}, has the affinity cache agree with the users connected here. */
@ApplicationScoped
public class AffinityReconciler {

    private static final Logger LOG = Logger.getLogger(AffinityReconciler.class.getName());

    @Inject
    Hub hub;

    @Inject
    AffinityService affinity;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long every = AffinitySettings.from(config).reconcileMillis();
        if (every > 0) {
            schedulers.shared().scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile() {
        try {
            affinity.reconcile(hub.users());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Affinity reconciliation failed; the next round tries again", e);
        }
    }
}
