package io.wscluster.registry;

import io.wscluster.cluster.ClusterCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.Cache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * The cluster's node registry (the replicated {@code nodes} cache: node id -> {@link NodeInfo}) as this
 * node sees it. Reads come from a local mirror the cache keeps current through a listener: the registry
 * is read per user when routes are computed, and a stream over an Infinispan cache costs far more than
 * the handful of entries it holds.
 */
@ApplicationScoped
public class NodeRegistry {

    static final String CACHE = "nodes";
    private static final Comparator<NodeInfo> BY_ID = Comparator.comparing(NodeInfo::id);

    @Inject
    ClusterCaches caches;

    private final Map<String, NodeInfo> mirror = new ConcurrentHashMap<>();
    private volatile List<NodeInfo> sorted = List.of();
    private volatile Cache<String, NodeInfo> mirrored;

    /** Every registered node, ordered by id; empty before this node has joined. */
    public List<NodeInfo> nodes() {
        if (!caches.isRunning()) {
            return List.of();
        }
        mirror();
        return sorted;
    }

    public Optional<NodeInfo> node(String id) {
        if (!caches.isRunning()) {
            return Optional.empty();
        }
        mirror();
        return Optional.ofNullable(mirror.get(id));
    }

    /** Nodes that accept clients (a state this version does not know, read as null, is not one of them). */
    public List<NodeInfo> readyNodes() {
        return nodes().stream().filter(n -> n.state() != null && n.state().acceptsClients()).toList();
    }

    /** Whether this node has joined the cluster (its cache manager runs). */
    public boolean joined() {
        return caches.isRunning();
    }

    /** The node ids in this node's view of the cluster; empty before it has joined. */
    public List<String> viewMembers() {
        return caches.members();
    }

    /** The quorum ({@code wscluster.health.min-members}) a view must hold, and whether this node's does. */
    /** Whether this node's caches are moving entries between owners (see {@link ClusterCaches#rebalancing()}). */
    public boolean rebalancing() {
        return caches.rebalancing();
    }

    public int quorum() {
        return caches.quorum();
    }

    public boolean hasQuorum() {
        return caches.hasQuorum();
    }

    /** Writes a node's entry (this node's, on its heartbeat). */
    public void put(NodeInfo info) {
        cache().put(info.id(), info);
    }

    /** @return whether there was an entry */
    public boolean remove(String id) {
        return cache().remove(id) != null;
    }

    /** The registry's cache, for listening to its changes. */
    public Cache<String, NodeInfo> cache() {
        return caches.cache(CACHE);
    }

    /** Starts mirroring the cache (again, after the cache manager was restarted). */
    private void mirror() {
        Cache<String, NodeInfo> cache = cache();
        if (mirrored == cache) {
            return;
        }
        synchronized (this) {
            if (mirrored != cache) {
                cache.addListener(new Mirror());
                mirror.clear();
                cache.forEach(mirror::put);
                resort();
                mirrored = cache;
            }
        }
    }

    private void resort() {
        sorted = mirror.values().stream().sorted(BY_ID).toList();
    }

    /** Keeps the mirror current; synchronous, so a reader after a write on this node sees it, and cheap. */
    @Listener(sync = true)
    public class Mirror {

        @CacheEntryCreated
        @CacheEntryModified
        public void written(CacheEntryEvent<String, NodeInfo> event) {
            if (!event.isPre() && event.getValue() != null) {
                mirror.put(event.getKey(), event.getValue());
                resort();
            }
        }

        @CacheEntryRemoved
        public void removed(CacheEntryEvent<String, NodeInfo> event) {
            if (!event.isPre()) {
                mirror.remove(event.getKey());
                resort();
            }
        }
    }
}
