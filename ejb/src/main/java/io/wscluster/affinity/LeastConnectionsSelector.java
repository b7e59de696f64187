package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.List;
import java.util.Optional;

/** The node with the fewest connections (counting this node's choices since its last heartbeat); ties by consistent hash. */
final class LeastConnectionsSelector implements NodeSelector {

    private final PendingAssignments pending = new PendingAssignments();

    @Override
    public synchronized Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        NodeInfo best = null;
        int bestLoad = Integer.MAX_VALUE;
        long bestTie = 0;
        for (NodeInfo candidate : candidates) {
            int load = pending.effectiveConnections(candidate);
            long tie = RendezvousSelector.score(candidate.id(), user);
            if (load < bestLoad || (load == bestLoad && Long.compareUnsigned(tie, bestTie) > 0)) {
                best = candidate;
                bestLoad = load;
                bestTie = tie;
            }
        }
        if (best != null) {
            pending.assigned(best);
        }
        return Optional.ofNullable(best);
    }
}
