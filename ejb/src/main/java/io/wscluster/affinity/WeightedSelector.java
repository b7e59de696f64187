package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Smooth weighted round robin (as nginx does it): over any window each node gets its share of
 * {@code weight / total weight}, and picks of one node are spread out rather than bunched.
 */
final class WeightedSelector implements NodeSelector {

    private final Map<String, Long> current = new HashMap<>();

    @Override
    public synchronized Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        NodeInfo best = null;
        long total = 0;
        for (NodeInfo candidate : candidates) {
            long weight = Math.max(1, candidate.weight());
            total += weight;
            long value = current.merge(candidate.id(), weight, Long::sum);
            if (best == null || value > current.get(best.id())
                    || (value == current.get(best.id()) && candidate.id().compareTo(best.id()) < 0)) {
                best = candidate;
            }
        }
        if (best != null) {
            current.merge(best.id(), -total, Long::sum);
            current.keySet().retainAll(candidates.stream().map(NodeInfo::id).toList());
        }
        return Optional.ofNullable(best);
    }
}
