package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.List;
import java.util.Optional;

/**
 * Picks the node with the lowest score, ties broken by consistent hash of the user, counting this
 * node's own picks since each node's last heartbeat (see {@link PendingAssignments}).
 */
abstract class ScoredSelector implements NodeSelector {

    private final PendingAssignments pending = new PendingAssignments();

    /** @param connections the node's connections including this selector's recent picks */
    abstract double score(int connections, NodeInfo node);

    @Override
    public synchronized Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        NodeInfo best = null;
        double bestScore = Double.MAX_VALUE;
        long bestTie = 0;
        for (NodeInfo candidate : candidates) {
            double score = score(pending.effectiveConnections(candidate), candidate);
            long tie = RendezvousSelector.score(candidate.id(), user);
            if (score < bestScore || (score == bestScore && Long.compareUnsigned(tie, bestTie) > 0)) {
                best = candidate;
                bestScore = score;
                bestTie = tie;
            }
        }
        if (best != null) {
            pending.assigned(best);
        }
        return Optional.ofNullable(best);
    }
}
