package io.wscluster.affinity;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The selection strategies by configuration name. */
public final class NodeSelectors {

    private static final Map<String, Supplier<NodeSelector>> BY_NAME = Map.of(
            "round-robin", RoundRobinSelector::new,
            "least-connections", LeastConnectionsSelector::new,
            "weighted", WeightedSelector::new,
            "random", RandomSelector::new,
            "consistent-hash", RendezvousSelector::new,
            "adaptive", AdaptiveSelector::new);

    private NodeSelectors() {
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static NodeSelector named(String name) {
        Supplier<NodeSelector> selector = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (selector == null) {
            throw new IllegalArgumentException("unknown wscluster.affinity.strategy '" + name + "'; one of " + BY_NAME.keySet());
        }
        return selector.get();
    }
}
