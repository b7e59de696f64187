package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.List;
import java.util.Optional;

/**
 * Scores each node by load and responsiveness, lowest wins: connections per unit of weight, scaled up by
 * the node's recent delivery latency ({@code 1 + latency / 10 ms}), so a node that is falling behind
 * gets fewer new users even before its connection count shows it. Ties by consistent hash.
 */
final class AdaptiveSelector implements NodeSelector {

    static final double LATENCY_SCALE_MICROS = 10_000;

    private final PendingAssignments pending = new PendingAssignments();

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

    static double score(int connections, NodeInfo node) {
        return (connections + 1.0) / Math.max(1, node.weight()) * (1 + node.latencyMicros() / LATENCY_SCALE_MICROS);
    }
}
