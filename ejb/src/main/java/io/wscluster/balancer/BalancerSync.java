package io.wscluster.balancer;

import io.wscluster.affinity.AffinityService;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Keeps HAProxy in step with the cluster through its runtime API, without reloads: one server per node
 * in the backend (added on join, in maintenance while not READY, cut off and deleted when gone), and an
 * affinity map user -> server, so a user's reconnect lands on its affinity node while that node is READY and
 * on the selection strategy's choice otherwise. Only the cluster coordinator writes; any node takes over.
 * Off unless {@code wscluster.haproxy.runtime-api} is set.
 */
@ApplicationScoped
public class BalancerSync {

    private static final Logger LOG = Logger.getLogger(BalancerSync.class.getName());
    /** How long affinity changes are collected before they are sent as one batch. */
    private static final long MAP_FLUSH_DELAY_MILLIS = 20;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeRegistry registry;

    @Inject
    AffinityService affinity;

    /** HAProxy's runtime API: {@code unix:/path/to/haproxy.sock} or {@code 127.0.0.1:9999}; unset: no sync. */
    @Inject
    @ConfigProperty(name = "wscluster.haproxy.runtime-api")
    Optional<String> runtimeApi;

    @Inject
    @ConfigProperty(name = "wscluster.haproxy.backend", defaultValue = "nodes")
    String backend;

    /** The affinity map as HAProxy's configuration names it (its file path); unset: no affinity routing. */
    @Inject
    @ConfigProperty(name = "wscluster.haproxy.affinity-map")
    Optional<String> affinityMap;

    /** Options of the servers added for nodes; dynamic servers do not inherit {@code default-server}. */
    @Inject
    @ConfigProperty(name = "wscluster.haproxy.server-options", defaultValue = "check inter 500ms fall 2 rise 2")
    String serverOptions;

    /** How often the backend is compared with the registry even when nothing signalled a change. */
    @Inject
    @ConfigProperty(name = "wscluster.haproxy.sync-ms", defaultValue = "1000")
    long syncMillis;

    @Resource
    ManagedThreadFactory threadFactory;

    // Everything below runs on the scheduler's single thread, except the listeners, which only queue work.
    private ScheduledThreadPoolExecutor scheduler;
    private HaproxyRuntimeApi api;
    private final Set<String> changedUsers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean mapFlushScheduled = new AtomicBoolean();
    private final AtomicBoolean reconcileScheduled = new AtomicBoolean();
    /** What this node last put into HAProxy's map; null until it has loaded the whole map as coordinator. */
    private volatile Map<String, String> mapped;
    /** The node cache the listeners are registered on; a restarted cache manager needs them again. */
    private Object listenedTo;
    private boolean failing;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (runtimeApi.isEmpty()) {
            return;
        }
        api = new HaproxyRuntimeApi(runtimeApi.get());
        scheduler = new ScheduledThreadPoolExecutor(1, threadFactory);
        scheduler.scheduleWithFixedDelay(this::reconcile, 0, syncMillis, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Keeping HAProxy backend " + backend + " in step with the registry via " + runtimeApi.get()
                + affinityMap.map(m -> ", affinity map " + m).orElse(""));
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    void onMembershipChange(@Observes MembershipChange change) {
        soon();
    }

    /** Reconciles as soon as possible (coalesced). */
    private void soon() {
        if (scheduler != null && reconcileScheduled.compareAndSet(false, true)) {
            scheduler.execute(this::reconcile);
        }
    }

    private void reconcile() {
        reconcileScheduled.set(false);
        try {
            if (!caches.isRunning()) {
                return;
            }
            listen();
            if (!caches.isCoordinator()) {
                mapped = null; // another node writes; reload the whole map if this one takes over
                return;
            }
            List<NodeInfo> nodes = registry.nodes();
            List<BackendServer> actual = BackendServer.parse(api.execute(List.of("show servers state " + backend)).get(0));
            List<String> commands = BackendPlan.commands(backend, serverOptions, wanted(nodes), actual);
            run(commands);
            if (affinityMap.isPresent()) {
                syncMap(nodes);
            }
            if (failing) {
                LOG.info("HAProxy runtime API reachable again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            // HAProxy may be restarting; the next round catches up. Logged once per outage.
            if (!failing) {
                LOG.log(Level.WARNING, "Could not sync HAProxy via " + runtimeApi.get() + ": " + e);
                failing = true;
            }
            mapped = null;
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
                    url.getPort() > 0 ? url.getPort() : 80, node.state().acceptsClients()));
        }
        return wanted;
    }

    private void syncMap(List<NodeInfo> nodes) throws IOException {
        String map = affinityMap.get();
        if (mapped == null) {
            loadWholeMap(map);
            return;
        }
        // Users routed to a node that is no longer READY get the strategy's choice instead.
        Set<String> ready = new HashSet<>();
        nodes.stream().filter(n -> n.state().acceptsClients()).forEach(n -> ready.add(BackendPlan.serverName(n.id())));
        mapped.forEach((user, server) -> {
            if (!ready.contains(server)) {
                changedUsers.add(user);
            }
        });
        flushMap();
    }

    /** Replaces the whole map atomically (prepare, fill the new version, commit): nobody is routed by an empty map. */
    private void loadWholeMap(String map) throws IOException {
        Map<String, String> wanted = new HashMap<>();
        changedUsers.clear();
        for (String user : caches.affinity().keySet()) {
            route(user).ifPresent(server -> wanted.put(user, server));
        }
        String prepared = api.execute(List.of("prepare map " + map)).get(0);
        String version = prepared.replaceAll("\\D+", "");
        if (version.isEmpty()) {
            throw new IOException("prepare map " + map + ": " + prepared);
        }
        List<String> commands = new ArrayList<>();
        wanted.forEach((user, server) -> commands.add("add map @" + version + " " + map + " " + user + " " + server));
        commands.add("commit map @" + version + " " + map);
        run(commands);
        mapped = wanted;
        LOG.info(() -> "Loaded " + wanted.size() + " users into HAProxy's affinity map");
    }

    private void flushMap() {
        mapFlushScheduled.set(false);
        if (mapped == null || changedUsers.isEmpty() || !caches.isRunning()) {
            return;
        }
        List<String> commands = new ArrayList<>();
        Map<String, String> applied = new HashMap<>();
        for (String user : List.copyOf(changedUsers)) {
            changedUsers.remove(user);
            String server = route(user).orElse(null);
            String current = mapped.get(user);
            if (server == null && current != null) {
                commands.add("del map " + affinityMap.get() + " " + user);
            } else if (server != null && current == null) {
                commands.add("add map " + affinityMap.get() + " " + user + " " + server);
            } else if (server != null && !server.equals(current)) {
                commands.add("set map " + affinityMap.get() + " " + user + " " + server);
            } else {
                continue;
            }
            applied.put(user, server);
        }
        try {
            run(commands);
            applied.forEach((user, server) -> {
                if (server == null) {
                    mapped.remove(user);
                } else {
                    mapped.put(user, server);
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

    private void run(List<String> commands) throws IOException {
        if (commands.isEmpty()) {
            return;
        }
        List<String> answers = api.execute(commands);
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            String answer = answers.get(i);
            if (command.startsWith("add map") || command.startsWith("set map") || command.startsWith("del map")) {
                if (!answer.isEmpty()) {
                    LOG.fine(() -> command + ": " + answer);
                }
            } else if (!answer.isEmpty() && !answer.startsWith("New server") && !answer.startsWith("Server deleted")) {
                LOG.warning(() -> "HAProxy refused '" + command + "': " + answer);
            } else if (!command.startsWith("enable health")) {
                LOG.info(() -> "HAProxy: " + command);
            }
        }
    }

    /** Registers the cache listeners once the caches run (they start with the node lifecycle, maybe after this bean). */
    private void listen() {
        if (listenedTo != caches.nodes()) {
            caches.nodes().addListener(new NodeListener());
            if (affinityMap.isPresent()) {
                caches.affinity().addListener(new AffinityListener());
            }
            listenedTo = caches.nodes();
        }
    }

    /** A node joined, left or changed state: reconcile now rather than at the next round. */
    @Listener(sync = false)
    public class NodeListener {
        private final Map<String, Object> lastState = new ConcurrentHashMap<>();

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        public void changed(CacheEntryEvent<String, NodeInfo> event) {
            NodeInfo node = event.getValue();
            Object state = node == null ? "gone" : node.state();
            if (!state.equals(lastState.put(event.getKey(), state))) {
                soon();
            }
        }
    }

    /** A user's affinity changed: update that user's map entry (batched). */
    @Listener(sync = false)
    public class AffinityListener {

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        @CacheEntryExpired
        public void changed(CacheEntryEvent<String, ?> event) {
            if (mapped == null || !caches.isCoordinator()) {
                return;
            }
            changedUsers.add(event.getKey());
            if (mapFlushScheduled.compareAndSet(false, true)) {
                scheduler.schedule(BalancerSync.this::flushMap, MAP_FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
