package io.wscluster.hub;

import io.wscluster.affinity.AffinityService;
import io.wscluster.affinity.AffinitySettings;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code wscluster.affinity.reconcile-ms}, has the affinity cache agree with the users connected here;
 * after partitions merge, writes all of them again.
 */
@ApplicationScoped
public class AffinityReconciler {

    private static final Logger LOG = Logger.getLogger(AffinityReconciler.class.getName());
    private static final long AFTER_MERGE_MILLIS = 5_000;

    @Inject
    Hub hub;

    @Inject
    AffinityService affinity;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private volatile boolean enabled;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long every = AffinitySettings.from(config).reconcileMillis();
        enabled = every > 0;
        if (enabled) {
            schedulers.shared().scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * After a merge each side's writes are on its own copies only, and a round compares with this node's
     * copy alone. Once the merge's rebalance is over (a few seconds), every copy is given this node's users.
     */
    void onMembershipChange(@Observes MembershipChange change) {
        if (change.merged() && enabled) {
            schedulers.shared().schedule(() -> {
                try {
                    affinity.reassert(hub.users());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Writing the affinity again after a merge failed; the rounds repair what they see", e);
                }
            }, AFTER_MERGE_MILLIS, TimeUnit.MILLISECONDS);
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
