package io.wscluster.ops;

import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Scale hints from the registry: connections across READY nodes against {@code wscluster.scale.target-connections-per-node}. */
@ApplicationScoped
public class ScaleAdvisor {

    @Inject
    NodeRegistry registry;

    /** Connections a node should carry at most; 8,000 leaves headroom under the 10,000 a node is sized for. */
    @Inject
    @ConfigProperty(name = "wscluster.scale.target-connections-per-node", defaultValue = "8000")
    int targetPerNode;

    @Inject
    @ConfigProperty(name = "wscluster.scale.min-nodes", defaultValue = "2")
    int minNodes;

    public ScaleAdvice advice() {
        List<NodeInfo> ready = registry.readyNodes();
        long connections = ready.stream().mapToLong(NodeInfo::connections).sum();
        return ScaleAdvice.of(ready.size(), connections, targetPerNode, minNodes);
    }
}
