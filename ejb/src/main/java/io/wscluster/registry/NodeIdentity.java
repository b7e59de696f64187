package io.wscluster.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** This node's identity: {@code wscluster.node.id} if set, else a random id fixed for the node's lifetime. */
@ApplicationScoped
public class NodeIdentity {

    private final String id;

    @Inject
    public NodeIdentity(@ConfigProperty(name = "wscluster.node.id") Optional<String> configuredId) {
        this.id = configuredId.filter(s -> !s.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
    }

    /** For CDI proxies only. */
    protected NodeIdentity() {
        this.id = null;
    }

    public String id() {
        return id;
    }
}
