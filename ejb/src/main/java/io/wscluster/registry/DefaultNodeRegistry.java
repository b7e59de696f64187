package io.wscluster.registry;

import io.wscluster.cluster.ClusterCaches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the replicated node registry; this node's own state comes from its lifecycle. */
@ApplicationScoped
public class DefaultNodeRegistry implements NodeRegistry {

    @Inject
    ClusterCaches caches;

    @Inject
    NodeLifecycle lifecycle;

    @Override
    public List<NodeInfo> nodes() {
        if (!caches.isRunning()) {
            return List.of();
        }
        return caches.nodes().values().stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    @Override
    public Optional<NodeInfo> node(String id) {
        return caches.isRunning() ? Optional.ofNullable(caches.nodes().get(id)) : Optional.empty();
    }

    @Override
    public NodeState localState() {
        return lifecycle.state();
    }
}
