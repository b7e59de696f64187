package io.wscluster.balancer;

import io.wscluster.affinity.AffinityService;
import io.wscluster.affinity.UserAffinity;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;

/**
 * Keeps HAProxy's affinity map (user -> server) equal to {@link AffinityService#choose} for every user
 * the affinity cache knows, so a user's reconnect lands on its affinity node while that node is READY and
 * on the selection strategy's choice otherwise. The coordinator loads the whole map atomically when it
 * takes over, then sends each change within {@value #FLUSH_DELAY_MILLIS} ms, batched; when a node's
 * state changes, and every {@code wscluster.haproxy.sync-ms}, it re-points the users of nodes that are no
 * longer READY.
 */
@ApplicationScoped
public class AffinityMapSync {

    private static final Logger LOG = Logger.getLogger(AffinityMapSync.class.getName());
    /** How long affinity changes are collected before they are sent as one batch. */
    static final long FLUSH_DELAY_MILLIS = 20;

    @Inject
    HaproxyClient haproxy;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry registry;

    @Inject
    AffinityService affinity;

    @Inject
    Schedulers schedulers;

    // Everything below runs on the executor's single thread, except userChanged, which only queues work.
    private ScheduledExecutorService executor;
    private String map;
    private final Set<String> changedUsers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    /** What this node last put into HAProxy's map; null until it has loaded the whole map as coordinator. */
    private volatile Map<String, String> mapped;
    private Cache<String, UserAffinity> listenedTo;
    private Cache<String, NodeInfo> nodesListenedTo;
    private boolean failing;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!haproxy.enabled() || haproxy.settings().affinityMap().isEmpty()) {
            return;
        }
        map = haproxy.settings().affinityMap().get();
        executor = schedulers.create("wscluster-haproxy-map", 1);
        executor.scheduleWithFixedDelay(this::sync, 0, haproxy.settings().syncMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "Keeping HAProxy's affinity map " + map + " in step with session affinity");
    }

    private void sync() {
        syncScheduled.set(false);
        try {
            if (!caches.isRunning()) {
                return;
            }
            listen();
            if (!caches.actsForCluster()) {
                mapped = null; // another node writes; reload the whole map if this one takes over
                return;
            }
            if (mapped == null) {
                loadWholeMap();
            } else {
                // Users routed to a node that is no longer READY get the strategy's choice instead.
                Set<String> ready = new HashSet<>();
                registry.readyNodes().forEach(n -> ready.add(BackendPlan.serverName(n.id())));
                mapped.forEach((user, server) -> {
                    if (!ready.contains(server)) {
                        changedUsers.add(user);
                    }
                });
                flush();
            }
            if (failing) {
                LOG.info("HAProxy's affinity map is in step again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "Could not sync HAProxy's affinity map: " + e);
                failing = true;
            }
            mapped = null;
        }
    }

    /** Replaces the whole map atomically (prepare, fill the new version, commit): nobody is routed by an empty map. */
    private void loadWholeMap() throws IOException {
        Map<String, String> wanted = new HashMap<>();
        changedUsers.clear();
        for (String user : affinity.cache().keySet()) {
            route(user).ifPresent(server -> wanted.put(user, server));
        }
        String prepared = haproxy.ask("prepare map " + map);
        String version = prepared.replaceAll("\\D+", "");
        if (version.isEmpty()) {
            throw new IOException("prepare map " + map + ": " + prepared);
        }
        List<String> commands = new ArrayList<>();
        wanted.forEach((user, server) -> commands.add("add map @" + version + " " + map + " " + user + " " + server));
        commands.add("commit map @" + version + " " + map);
        haproxy.run(commands);
        mapped = wanted;
        LOG.info(() -> "Loaded " + wanted.size() + " users into HAProxy's affinity map");
    }

    private void flush() {
        flushScheduled.set(false);
        Map<String, String> current = mapped;
        if (current == null || changedUsers.isEmpty() || !caches.isRunning()) {
            return;
        }
        List<String> commands = new ArrayList<>();
        Map<String, String> applied = new HashMap<>();
        for (String user : List.copyOf(changedUsers)) {
            changedUsers.remove(user);
            String server = route(user).orElse(null);
            String before = current.get(user);
            if (server == null && before != null) {
                commands.add("del map " + map + " " + user);
            } else if (server != null && before == null) {
                commands.add("add map " + map + " " + user + " " + server);
            } else if (server != null && !server.equals(before)) {
                commands.add("set map " + map + " " + user + " " + server);
            } else {
                continue;
            }
            applied.put(user, server);
        }
        try {
            haproxy.run(commands);
            applied.forEach((user, server) -> {
                if (server == null) {
                    current.remove(user);
                } else {
                    current.put(user, server);
                }
            });
        } catch (IOException e) {
            LOG.log(Level.FINE, "Affinity map update failed; reloading it next round", e);
            mapped = null;
        }
    }

    /** The server a user should be routed to: what affinity choose() says, so HAProxy and the cluster agree. */
    private Optional<String> route(String user) {
        return affinity.lookup(user).isPresent()
                ? affinity.choose(user).map(node -> BackendPlan.serverName(node.id())) : Optional.empty();
    }

    /** Re-points users now (coalesced): a node changed state. */
    private void syncSoon() {
        if (syncScheduled.compareAndSet(false, true)) {
            executor.execute(this::sync);
        }
    }

    private void listen() {
        Cache<String, UserAffinity> users = affinity.cache();
        if (listenedTo != users) {
            users.addListener(new AffinityChangeListener(this::userChanged));
            listenedTo = users;
        }
        Cache<String, NodeInfo> nodes = registry.cache();
        if (nodesListenedTo != nodes) {
            nodes.addListener(new NodeStateListener(this::syncSoon));
            nodesListenedTo = nodes;
        }
    }

    /** A user's affinity changed: update that user's map entry (batched). Runs on the writing thread. */
    private void userChanged(String user) {
        if (mapped == null || !caches.actsForCluster()) {
            return;
        }
        changedUsers.add(user);
        if (flushScheduled.compareAndSet(false, true)) {
            executor.schedule(this::flush, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
