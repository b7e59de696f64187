package io.wscluster.registry;

import io.wscluster.cluster.ClusterCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.infinispan.Cache;

/** The cluster's node registry (the replicated {@code nodes} cache: node id -> {@link NodeInfo}) as this node sees it. */
@ApplicationScoped
public class NodeRegistry {

    static final String CACHE = "nodes";

    @Inject
    ClusterCaches caches;

    /** Every registered node, ordered by id; empty before this node has joined. */
    public List<NodeInfo> nodes() {
        if (!caches.isRunning()) {
            return List.of();
        }
        return cache().values().stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    public Optional<NodeInfo> node(String id) {
        return caches.isRunning() ? Optional.ofNullable(cache().get(id)) : Optional.empty();
    }

    /** Nodes that accept clients. */
    public List<NodeInfo> readyNodes() {
        return nodes().stream().filter(n -> n.state().acceptsClients()).toList();
    }

    /** Whether this node has joined the cluster (its cache manager runs). */
    public boolean joined() {
        return caches.isRunning();
    }

    /** The node ids in this node's view of the cluster; empty before it has joined. */
    public List<String> viewMembers() {
        return caches.members();
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
}
