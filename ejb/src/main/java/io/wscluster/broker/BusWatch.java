package io.wscluster.broker;

import fish.payara.micro.cdi.Inbound;
import fish.payara.micro.cdi.Outbound;
import io.wscluster.registry.LocalNode;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Makes the two memberships agree: the registry follows JGroups (Infinispan), messages travel over Hazelcast
 * (Payara's clustered CDI events), and a node can be in one and not the other. Every node sends a pulse over
 * the bus each second and notes whom it hears; one that hears less than half of the other READY nodes of the
 * registry for {@code wscluster.bus.silence-ms} is cut off from the messages published elsewhere and reports
 * itself not ready ({@link LocalNode#busReachable()}), so the balancer moves its clients, until it hears them
 * again. Of two nodes that cannot hear each other, the one with the lower id stays.
 */
@ApplicationScoped
public class BusWatch {

    private static final Logger LOG = Logger.getLogger(BusWatch.class.getName());

    @Inject
    @Outbound
    Event<BusPulse> pulses;

    @Inject
    Clustering clustering;

    @Inject
    LocalNode node;

    @Inject
    NodeRegistry registry;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    private long silenceMillis;
    private long watchingSince;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!clustering.clustered()) {
            return;
        }
        silenceMillis = config.getOptionalValue("wscluster.bus.silence-ms", Long.class).orElse(10_000L);
        watchingSince = System.currentTimeMillis();
        schedulers.shared().scheduleWithFixedDelay(this::pulse, 1, 1, TimeUnit.SECONDS);
    }

    void heard(@Observes @Inbound BusPulse pulse) {
        heard.put(pulse.origin(), System.currentTimeMillis());
    }

    private void pulse() {
        try {
            pulses.fire(new BusPulse(node.id()));
            judge(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Bus pulse failed; next second retries", e);
        }
    }

    private void judge(long now) {
        if (!registry.joined()) {
            return;
        }
        List<String> others = registry.readyNodes().stream().map(NodeInfo::id).filter(id -> !id.equals(node.id())).toList();
        List<String> silent = others.stream().filter(id -> now - heard.getOrDefault(id, watchingSince) > silenceMillis).toList();
        boolean reachable = reachable(node.id(), others, silent);
        if (reachable != node.busReachable()) {
            node.setBusReachable(reachable);
            if (reachable) {
                LOG.info("The bus carries messages between this node and the others again: ready");
            } else {
                LOG.warning(() -> "This node has not heard " + silent + " over the bus for " + silenceMillis + " ms, though the registry"
                        + " lists them READY: messages published there do not reach it. Not ready until it hears them again");
            }
        }
    }

    /** Whether a node hearing all of {@code others} but {@code silent} is still one of the cluster. */
    static boolean reachable(String self, List<String> others, List<String> silent) {
        int heardCount = others.size() - silent.size();
        if (heardCount * 2 >= others.size() && !(others.size() == 1 && heardCount == 0)) {
            return true;
        }
        // Two nodes that cannot hear each other: the lower id goes on alone.
        return others.size() == 1 && heardCount == 0 && self.compareTo(others.get(0)) < 0;
    }
}
