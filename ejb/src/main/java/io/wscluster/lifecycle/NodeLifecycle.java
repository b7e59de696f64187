package io.wscluster.lifecycle;

import io.wscluster.channel.ChannelCatalog;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Takes this node through its states: joins the cluster, registers, loads the shared channel
 * configuration, warms up (the web module's warm-up says when it is done) and becomes READY; ticks every
 * {@code wscluster.registry.heartbeat-ms} (a heartbeat, or a retry with backoff while DISCONNECTED); goes
 * DRAINING when asked, and deregisters on shutdown.
 */
@ApplicationScoped
public class NodeLifecycle {

    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** Heartbeats that may fail in a row before the node counts as DISCONNECTED: a starved node writes late, not never. */
    private static final int FAILED_BEATS_TOLERATED = 2;
    /** How much longer than its own limit a warm-up may stay silent before the node is READY without it. */
    private static final long GRACE_MILLIS = 5_000;

    @Inject
    LocalNode node;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry registry;

    @Inject
    ChannelCatalog channels;

    @Inject
    Heartbeat heartbeat;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private LifecycleSettings settings;
    private WarmupSettings warmup;
    private volatile boolean stopping;
    /** When a warm-up that never reported would be given up on (see {@link #tick}). */
    private volatile long warmedByMillis;
    /** The warm-up has reported (or is off): a node that registers late, after its start failed, is READY at once. */
    private volatile boolean warm;
    private volatile long lastTickMillis = System.currentTimeMillis();
    private long backoffMillis;
    private int failedBeats;
    private long retryAtMillis;

    @PostConstruct
    void init() {
        settings = LifecycleSettings.from(config);
        warmup = WarmupSettings.from(config);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        warm = !warmup.enabled();
        warmedByMillis = System.currentTimeMillis() + warmup.maxMillis() + GRACE_MILLIS;
        try {
            caches.start(node.id());
            moveTo(NodeState.REGISTERING);
            moveTo(NodeState.ACTIVE);
            moveTo(NodeState.LOADING_CHANNELS);
            channels.adoptClusterSettings(node.id());
            registered();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Could not join the cluster or register; retrying with backoff", e);
            disconnected();
        }
        // Its own thread: the heartbeat must not wait behind other housekeeping.
        schedulers.create("wscluster-heartbeat", 1).scheduleWithFixedDelay(this::tick,
                settings.heartbeatMillis(), settings.heartbeatMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        node.setState(NodeState.DRAINING);
        try {
            if (caches.isRunning()) {
                heartbeat.beat();
                registry.remove(node.id());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Deregistration failed; the others will notice the view change", e);
        }
    }

    /**
     * Turns this node DRAINING (readiness DOWN, no new clients) and publishes that.
     *
     * @return false if it was draining already
     */
    public synchronized boolean beginDraining() {
        if (node.state() == NodeState.DRAINING) {
            return false;
        }
        node.setState(NodeState.DRAINING);
        try {
            heartbeat.beat();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not publish the DRAINING state; draining anyway", e);
        }
        LOG.info(() -> "Node " + node.id() + " is DRAINING");
        return true;
    }

    /**
     * Whether the warm-up is still to run: until it reports, whether the node registered at start-up
     * (WARMING) or could not and is retrying (DISCONNECTED); the warm-up does not need the cluster.
     */
    public boolean awaitsWarmup() {
        return !warm;
    }

    /** The warm-up is over (or was not wanted): a WARMING node becomes READY, a node still retrying will be READY when it registers. */
    public synchronized void warmedUp() {
        warm = true;
        if (node.state() == NodeState.WARMING) {
            moveTo(NodeState.READY);
        }
    }

    /** How long ago the lifecycle last ticked: a stuck tick means a node that no longer keeps its registration. */
    public long tickAgeMillis() {
        return System.currentTimeMillis() - lastTickMillis;
    }

    public long heartbeatMillis() {
        return settings.heartbeatMillis();
    }

    private void tick() {
        lastTickMillis = System.currentTimeMillis();
        if (stopping) {
            return;
        }
        if (node.state() == NodeState.DISCONNECTED) {
            retry();
            return;
        }
        if (node.state() == NodeState.WARMING && System.currentTimeMillis() > warmedByMillis) {
            LOG.warning("The warm-up did not report back within wscluster.warmup.max-ms; READY anyway");
            warmedUp();
        }
        try {
            heartbeat.beat();
            failedBeats = 0;
        } catch (RuntimeException e) {
            if (++failedBeats <= FAILED_BEATS_TOLERATED) {
                LOG.log(Level.WARNING, "Heartbeat could not be written (" + failedBeats + " in a row): " + e);
                return;
            }
            LOG.log(Level.WARNING, "Heartbeat could not be written " + failedBeats + " times in a row; node is DISCONNECTED", e);
            failedBeats = 0;
            disconnected();
        }
    }

    private void retry() {
        if (System.currentTimeMillis() < retryAtMillis) {
            return;
        }
        try {
            caches.start(node.id());
            channels.adoptClusterSettings(node.id());
            registered();
            backoffMillis = 0;
            LOG.info("Registered again after being disconnected");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Registration retry failed: " + e);
            disconnected();
        }
    }

    /** Registered: READY, or WARMING until the warm-up reports (under this lock, so its report is never missed). */
    private synchronized void registered() {
        moveTo(warm ? NodeState.READY : NodeState.WARMING);
    }

    private synchronized void moveTo(NodeState next) {
        if (node.state() == NodeState.DRAINING) {
            return; // a drain is final
        }
        node.setState(next);
        heartbeat.beat();
        LOG.info(() -> "Node " + node.id() + " is " + next);
    }

    private void disconnected() {
        node.setState(NodeState.DISCONNECTED);
        backoffMillis = backoffMillis == 0 ? settings.heartbeatMillis() : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        retryAtMillis = System.currentTimeMillis() + backoffMillis;
    }
}
