package io.wscluster.lifecycle;

import io.wscluster.hub.Hub;
import io.wscluster.hub.WaveCloser;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.registry.LocalNode;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Takes this node out of service gracefully: DRAINING (readiness DOWN, no new clients, the load balancer
 * puts it in maintenance), its clients closed with 1012 in waves (they reconnect elsewhere without a
 * storm), then the process exits once they are gone or at the deadline.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());
    private static final long CHECK_MILLIS = 100;

    @Inject
    NodeLifecycle lifecycle;

    @Inject
    LocalNode node;

    @Inject
    Hub hub;

    @Inject
    WaveCloser waves;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private DrainSettings settings;

    @PostConstruct
    void init() {
        settings = DrainSettings.from(config);
    }

    public DrainSettings settings() {
        return settings;
    }

    /** @return false if the node was draining already */
    public boolean start() {
        if (!lifecycle.beginDraining()) {
            return false;
        }
        long deadline = System.currentTimeMillis() + settings.deadlineMillis();
        int total = hub.connections();
        LOG.info(() -> "Draining " + total + " connections in " + settings.waves() + " waves over " + settings.spreadMillis() + " ms");
        // The first wave waits one step, as the rebalancer's does: the balancer keeps a draining node's
        // server for the clients it has (HAProxy's drain state), so its affinity map must point their users
        // elsewhere before any of them reconnects, or the reconnect is routed back here and refused.
        long step = settings.spreadMillis() / Math.max(1, settings.waves());
        waves.close(hub::snapshot, settings.waves(), settings.spreadMillis(), step, CloseCodes.draining());
        ScheduledExecutorService watch = schedulers.create("wscluster-drain", 1);
        // Checked from the start: an idle node exits at once.
        watch.scheduleWithFixedDelay(() -> {
            if (hub.connections() == 0 || System.currentTimeMillis() >= deadline) {
                LOG.info(() -> "Drain finished with " + hub.connections() + " connections left");
                watch.shutdown();
                exit();
            }
        }, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }

    /** The clients are gone (or the deadline passed): stop the process, which deregisters the node on the way out. */
    private void exit() {
        LOG.info(() -> "Node " + node.id() + " drained; exiting");
        // Not on the caller's thread: exit waits for shutdown hooks, which wait for application threads.
        new Thread(() -> System.exit(0), "wscluster-drained-exit").start();
    }
}
