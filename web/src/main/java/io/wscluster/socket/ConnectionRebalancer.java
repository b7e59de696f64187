package io.wscluster.socket;

import io.wscluster.affinity.AffinityService;
import io.wscluster.registry.NodeIdentity;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Evens out load when a node joins or the cluster drifts: a node holding more than
 * {@code wscluster.rebalance.threshold} above the READY nodes' mean points a share of its users at the least
 * loaded nodes (their affinity, which HAProxy's map follows) and closes them with 1012 in waves spread over
 * {@code wscluster.rebalance.spread-ms}, so they reconnect there without a storm. Every node checks
 * itself every {@code wscluster.rebalance.interval-ms}; a node that just joined is simply the emptiest.
 */
@ApplicationScoped
public class ConnectionRebalancer {

    private static final Logger LOG = Logger.getLogger(ConnectionRebalancer.class.getName());
    private static final int WAVES = 10;

    @Inject
    ConnectionRegistry connections;

    @Inject
    NodeRegistry registry;

    @Inject
    NodeIdentity node;

    @Inject
    AffinityService affinity;

    @Inject
    @ConfigProperty(name = "wscluster.rebalance.enabled", defaultValue = "true")
    boolean enabled;

    /** How far above the mean (0.2 = 20 %) a node may be before it sheds users. */
    @Inject
    @ConfigProperty(name = "wscluster.rebalance.threshold", defaultValue = "0.2")
    double threshold;

    /** Below this many connections above the mean, moving clients costs more than it evens out. */
    @Inject
    @ConfigProperty(name = "wscluster.rebalance.min-excess", defaultValue = "50")
    int minExcess;

    /** The largest share of its connections a node moves in one round. */
    @Inject
    @ConfigProperty(name = "wscluster.rebalance.max-share", defaultValue = "0.25")
    double maxShare;

    @Inject
    @ConfigProperty(name = "wscluster.rebalance.interval-ms", defaultValue = "5000")
    long intervalMillis;

    @Inject
    @ConfigProperty(name = "wscluster.rebalance.spread-ms", defaultValue = "5000")
    long spreadMillis;

    @Resource
    ManagedThreadFactory threadFactory;

    private ScheduledThreadPoolExecutor scheduler;
    /** The cluster's connection total at the previous check (-1 before the first). */
    private int lastTotal = -1;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!enabled) {
            return;
        }
        scheduler = new ScheduledThreadPoolExecutor(1, threadFactory);
        // A round's waves finish within spread-ms; the next check waits for them and for fresh heartbeats.
        scheduler.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis + spreadMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void check() {
        try {
            if (registry.localState() != NodeState.READY) {
                return;
            }
            List<NodeInfo> others = registry.readyNodes().stream().filter(n -> !n.id().equals(node.id())).toList();
            if (others.isEmpty()) {
                return;
            }
            int mine = connections.connections();
            int total = mine + others.stream().mapToInt(NodeInfo::connections).sum();
            double mean = total / (others.size() + 1.0);
            int excess = (int) Math.floor(mine - mean);
            // Only a settled cluster is rebalanced. While clients pour in (a ramp, a failover), this node's
            // live count runs ahead of the others' heartbeat counts and looks like an excess; a load test
            // caught rebalancing closing 50 of 1,000 clients mid-ramp. A joining node is no ramp: the
            // total stays put while the counts are uneven.
            boolean settled = lastTotal >= 0 && Math.abs(total - lastTotal) <= Math.max(minExcess, total * threshold / 4);
            lastTotal = total;
            if (!settled || mine <= mean * (1 + threshold) || excess < minExcess) {
                return;
            }
            int toMove = Math.min(excess, (int) Math.ceil(mine * maxShare));
            shed(toMove, others, mean);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Rebalancing check failed", e);
        }
    }

    /** Points {@code count} connections' users at the nodes furthest below the mean, then closes them in waves. */
    private void shed(int count, List<NodeInfo> others, double mean) {
        Map<String, Integer> load = new HashMap<>();
        others.forEach(n -> load.put(n.id(), n.connections()));
        List<Connection> open = new ArrayList<>(connections.snapshot());
        Collections.shuffle(open);
        List<Connection> moving = new ArrayList<>();
        Set<String> movingUsers = new HashSet<>();
        Map<String, Integer> sent = new HashMap<>();
        for (Connection connection : open) {
            if (moving.size() >= count) {
                break;
            }
            if (!movingUsers.add(connection.user())) {
                continue; // already moving with another of its connections
            }
            String target = load.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (load.get(target) >= mean) {
                break; // everyone else is at the mean already
            }
            affinity.moveTo(connection.user(), target);
            List<Connection> userConnections = List.copyOf(connections.connectionsOf(connection.user()));
            moving.addAll(userConnections);
            load.merge(target, userConnections.size(), Integer::sum);
            sent.merge(target, userConnections.size(), Integer::sum);
        }
        LOG.info(() -> "Rebalancing: moving " + moving.size() + " of " + connections.connections() + " connections "
                + sent + " over " + spreadMillis + " ms (cluster mean " + Math.round(mean) + ")");
        CloseReason reason = new CloseReason(Closes.REBALANCING, "rebalancing: reconnect, to a less loaded node");
        int perWave = (moving.size() + WAVES - 1) / WAVES;
        for (int wave = 0; wave < WAVES; wave++) {
            List<Connection> batch = moving.subList(Math.min(moving.size(), wave * perWave), Math.min(moving.size(), (wave + 1) * perWave));
            // The first wave waits one step too, so HAProxy's map has the new affinity before anyone reconnects.
            scheduler.schedule(() -> batch.forEach(c -> connections.removeAndClose(c, reason)),
                    (wave + 1) * spreadMillis / WAVES, TimeUnit.MILLISECONDS);
        }
    }
}
