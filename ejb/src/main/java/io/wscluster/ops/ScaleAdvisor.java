package io.wscluster.ops;

import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/** Scale hints from the registry: connections across READY nodes against the target per node. */
@ApplicationScoped
public class ScaleAdvisor {

    @Inject
    NodeRegistry registry;

    @Inject
    Config config;

    private ScaleSettings settings;

    @PostConstruct
    void init() {
        settings = ScaleSettings.from(config);
    }

    public ScaleAdvice advice() {
        List<NodeInfo> ready = registry.readyNodes();
        long connections = ready.stream().mapToLong(NodeInfo::connections).sum();
        return ScaleAdvice.of(ready.size(), connections, settings.targetConnectionsPerNode(), settings.minNodes());
    }
}
