package io.wscluster.balancer;

import io.wscluster.cluster.ClusterCaches;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.registry.NodeState;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.infinispan.Cache;

/**
 * Keeps HAProxy's backend in step with the node registry through its runtime API, without reloads: one
 * server per node, added on join, in service while READY, in drain while DRAINING (nobody new, nobody cut
 * off), in maintenance otherwise (starting), cut off and deleted once gone from the registry. Only the cluster
 * coordinator writes (any node takes over); compared every {@code wscluster.haproxy.sync-ms} and at once
 * on a node's state change or a view change.
 */
@ApplicationScoped
public class BackendSync {

    private static final Logger LOG = Logger.getLogger(BackendSync.class.getName());

    @Inject
    HaproxyClient haproxy;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry registry;

    @Inject
    Schedulers schedulers;

    // Everything below runs on the executor's single thread, except the listener, which only queues work.
    private ScheduledExecutorService executor;
    private final AtomicBoolean reconcileScheduled = new AtomicBoolean();
    /** The node cache the listener is registered on; a restarted cache manager needs it again. */
    private Cache<String, NodeInfo> listenedTo;
    private boolean failing;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!haproxy.enabled()) {
            return;
        }
        HaproxySettings settings = haproxy.settings();
        executor = schedulers.create("wscluster-haproxy-backend", 1);
        executor.scheduleWithFixedDelay(this::reconcile, 0, settings.syncMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "Keeping HAProxy backend " + settings.backend() + " in step with the registry via "
                + settings.runtimeApi().orElseThrow());
    }

    void onMembershipChange(@Observes MembershipChange change) {
        soon();
    }

    /** Reconciles as soon as possible (coalesced). */
    private void soon() {
        if (executor != null && reconcileScheduled.compareAndSet(false, true)) {
            executor.execute(this::reconcile);
        }
    }

    private void reconcile() {
        reconcileScheduled.set(false);
        try {
            if (!caches.isRunning()) {
                return;
            }
            listen();
            if (!caches.actsForCluster()) {
                return;
            }
            String backend = haproxy.settings().backend();
            List<BackendServer> actual = BackendServer.parse(haproxy.ask("show servers state " + backend));
            Set<String> members = caches.members().stream().map(BackendPlan::serverName).collect(Collectors.toSet());
            haproxy.run(BackendPlan.commands(backend, haproxy.settings().serverOptions(), members, wanted(registry.nodes()), actual));
            if (failing) {
                LOG.info("HAProxy runtime API reachable again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            // HAProxy may be restarting; the next round catches up. Logged once per outage.
            if (!failing) {
                LOG.log(Level.WARNING, "Could not sync HAProxy's backend: " + e);
                failing = true;
            }
        }
    }

    private static List<BackendPlan.Wanted> wanted(List<NodeInfo> nodes) {
        List<BackendPlan.Wanted> wanted = new ArrayList<>();
        for (NodeInfo node : nodes) {
            if (node.httpUrl() == null || node.httpUrl().isBlank()) {
                continue; // a node that does not say where it listens cannot be balanced to
            }
            URI url = URI.create(node.httpUrl());
            wanted.add(new BackendPlan.Wanted(BackendPlan.serverName(node.id()), url.getHost(),
                    url.getPort() > 0 ? url.getPort() : 80, node.state() != null && node.state().acceptsClients(), node.overloaded(),
                    node.state() == NodeState.DRAINING));
        }
        return wanted;
    }

    /** Registers the listener once the registry's cache runs (it starts with the node lifecycle, maybe after this bean). */
    private void listen() {
        Cache<String, NodeInfo> nodes = registry.cache();
        if (listenedTo != nodes) {
            nodes.addListener(new NodeStateListener(this::soon));
            listenedTo = nodes;
        }
    }
}
