package io.wscluster.balancer;

import io.wscluster.affinity.AffinityService;
import io.wscluster.hub.Connection;
import io.wscluster.hub.Hub;
import io.wscluster.hub.WaveCloser;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Evens out load when a node joins or the cluster drifts: a node holding more than the threshold above
 * the READY nodes' mean points a share of its users at the least loaded nodes (their affinity, which
 * HAProxy's map follows) and closes them with 1012 in waves, so they reconnect there without a storm.
 * Every node checks itself; a node that just joined is simply the emptiest.
 */
@ApplicationScoped
public class Rebalancer {

    private static final Logger LOG = Logger.getLogger(Rebalancer.class.getName());

    @Inject
    Hub hub;

    @Inject
    WaveCloser waves;

    @Inject
    NodeRegistry registry;

    @Inject
    LocalNode node;

    @Inject
    AffinityService affinity;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private RebalanceSettings settings;
    /** The cluster's connection total at the previous check (-1 before the first). */
    private int lastTotal = -1;

    @PostConstruct
    void init() {
        settings = RebalanceSettings.from(config);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!settings.enabled()) {
            return;
        }
        // A round's waves finish within spread-ms; the next check waits for them and for fresh heartbeats.
        schedulers.shared().scheduleWithFixedDelay(this::check, settings.intervalMillis(),
                settings.intervalMillis() + settings.spreadMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            if (node.state() != NodeState.READY) {
                return;
            }
            List<NodeInfo> others = registry.readyNodes().stream().filter(n -> !n.id().equals(node.id())).toList();
            if (others.isEmpty()) {
                return;
            }
            int mine = hub.connections();
            int total = mine + others.stream().mapToInt(NodeInfo::connections).sum();
            double mean = total / (others.size() + 1.0);
            int excess = (int) Math.floor(mine - mean);
            // Only a settled cluster is rebalanced. While clients pour in (a ramp, a failover), this node's
            // live count runs ahead of the others' heartbeat counts and looks like an excess. A joining
            // node is no ramp: the total stays put while the counts are uneven.
            boolean settled = lastTotal >= 0
                    && Math.abs(total - lastTotal) <= Math.max(settings.minExcess(), total * settings.threshold() / 4);
            lastTotal = total;
            if (!settled || mine <= mean * (1 + settings.threshold()) || excess < settings.minExcess()) {
                return;
            }
            shed(Math.min(excess, (int) Math.ceil(mine * settings.maxShare())), others, mean);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Rebalancing check failed", e);
        }
    }

    /** Points {@code count} connections' users at the nodes furthest below the mean, then closes them in waves. */
    private void shed(int count, List<NodeInfo> others, double mean) {
        Map<String, Integer> load = new HashMap<>();
        others.forEach(n -> load.put(n.id(), n.connections()));
        List<Connection> open = new ArrayList<>(hub.snapshot());
        Collections.shuffle(open);
        List<Connection> moving = new ArrayList<>();
        Set<String> movingUsers = new HashSet<>();
        Map<String, Integer> sent = new HashMap<>();
        for (Connection connection : open) {
            if (moving.size() >= count) {
                break;
            }
            String user = connection.user();
            if (user == null || !movingUsers.add(user)) {
                continue; // not authenticated yet (no affinity to move), or moving with another of its connections
            }
            String target = load.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (load.get(target) >= mean) {
                break; // everyone else is at the mean already
            }
            affinity.moveTo(user, target);
            List<Connection> userConnections = List.copyOf(hub.connectionsOf(user));
            moving.addAll(userConnections);
            load.merge(target, userConnections.size(), Integer::sum);
            sent.merge(target, userConnections.size(), Integer::sum);
        }
        LOG.info(() -> "Rebalancing: moving " + moving.size() + " of " + hub.connections() + " connections " + sent
                + " over " + settings.spreadMillis() + " ms (cluster mean " + Math.round(mean) + ")");
        // The first wave waits one step too, so HAProxy's map has the new affinity before anyone reconnects.
        long step = settings.spreadMillis() / Math.max(1, settings.waves());
        waves.close(() -> moving.stream().filter(hub::isOpen).toList(), settings.waves(), settings.spreadMillis(), step,
                CloseCodes.rebalancing());
    }
}
