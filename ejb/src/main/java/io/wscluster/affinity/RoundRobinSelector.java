package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Each node in turn, in id order. */
final class RoundRobinSelector implements NodeSelector {

    private final AtomicLong next = new AtomicLong();

    @Override
    public Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        List<NodeInfo> ordered = candidates.stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
        return Optional.of(ordered.get((int) Math.floorMod(next.getAndIncrement(), (long) ordered.size())));
    }
}
