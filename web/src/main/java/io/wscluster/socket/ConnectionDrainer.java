package io.wscluster.socket;

import io.wscluster.registry.Draining;
import io.wscluster.registry.NodeLifecycle;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Moves a draining node's clients away without a storm: closes them with 1012 in
 * {@code wscluster.drain.waves} waves spread over {@code wscluster.drain.spread-ms}, so the rest of the
 * cluster receives the reconnects gradually, then lets the node exit once they are gone (or at the deadline).
 */
@ApplicationScoped
public class ConnectionDrainer {

    private static final Logger LOG = Logger.getLogger(ConnectionDrainer.class.getName());
    private static final long CHECK_MILLIS = 100;

    @Inject
    ConnectionRegistry connections;

    @Inject
    NodeLifecycle lifecycle;

    @Inject
    @ConfigProperty(name = "wscluster.drain.waves", defaultValue = "10")
    int waves;

    @Inject
    @ConfigProperty(name = "wscluster.drain.spread-ms", defaultValue = "5000")
    long spreadMillis;

    @Resource
    ManagedThreadFactory threadFactory;

    private ScheduledExecutorService scheduler;

    @PostConstruct
    void init() {
        scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
    }

    @PreDestroy
    void shutdown() {
        scheduler.shutdownNow();
    }

    void onDraining(@Observes Draining draining) {
        int total = connections.connections();
        LOG.info(() -> "Draining " + total + " connections in " + waves + " waves over " + spreadMillis + " ms");
        long waveMillis = Math.max(1, spreadMillis / Math.max(1, waves));
        for (int wave = 0; wave < waves; wave++) {
            int remainingWaves = waves - wave;
            scheduler.schedule(() -> closeWave(remainingWaves), wave * waveMillis, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(() -> {
            if (connections.connections() == 0 || System.currentTimeMillis() >= draining.deadlineMillis()) {
                LOG.info(() -> "Drain finished with " + connections.connections() + " connections left");
                scheduler.shutdown();
                lifecycle.drained();
            }
        }, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS); // checked from the start: an idle node exits at once
    }

    /** Closes an even share of the connections still open: 1/remainingWaves of them. */
    private void closeWave(int remainingWaves) {
        List<Connection> open = connections.snapshot();
        int share = (open.size() + remainingWaves - 1) / remainingWaves;
        CloseReason reason = new CloseReason(Closes.DRAINING, "node draining: reconnect to another node");
        open.subList(0, share).forEach(connection -> connections.removeAndClose(connection, reason));
    }
}
