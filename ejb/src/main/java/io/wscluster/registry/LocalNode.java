package io.wscluster.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;

/**
 * This node: its id ({@code wscluster.node.id}, else random and fixed for the node's lifetime), the URL
 * it is reached at ({@code wscluster.node.url}), its weight, and where it is in its lifecycle. The
 * lifecycle moves the state; everyone else reads it here.
 */
@ApplicationScoped
public class LocalNode {

    private final String id;
    private final Optional<String> url;
    private final int weight;
    private final long startedAt = System.currentTimeMillis();
    private volatile NodeState state = NodeState.STARTING;
    private volatile boolean busReachable = true;

    @Inject
    public LocalNode(Config config) {
        this.id = config.getOptionalValue("wscluster.node.id", String.class).filter(s -> !s.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
        this.url = config.getOptionalValue("wscluster.node.url", String.class);
        this.weight = config.getOptionalValue("wscluster.node.weight", Integer.class).orElse(100);
    }

    /** For CDI proxies only. */
    protected LocalNode() {
        this.id = null;
        this.url = Optional.empty();
        this.weight = 0;
    }

    public String id() {
        return id;
    }

    /** This node's HTTP base URL as clients and other nodes reach it, e.g. http://127.0.0.1:8080; empty if unset. */
    public String httpUrl() {
        return url.orElse("");
    }

    public String wsUrl() {
        return url.map(u -> u.replaceFirst("^http", "ws") + "/ws").orElse("");
    }

    public int weight() {
        return weight;
    }

    public long startedAt() {
        return startedAt;
    }

    public NodeState state() {
        return state;
    }

    public boolean acceptsClients() {
        return state.acceptsClients();
    }

    /** For the lifecycle only. */
    public void setState(NodeState state) {
        this.state = state;
    }

    /** Whether this node hears the others over the bus that carries messages (the broker's watch says). */
    public boolean busReachable() {
        return busReachable;
    }

    /** For the broker's watch only. */
    public void setBusReachable(boolean reachable) {
        this.busReachable = reachable;
    }
}
