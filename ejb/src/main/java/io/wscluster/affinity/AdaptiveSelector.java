package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;

/**
 * Scores each node by load and responsiveness, lowest wins: connections per unit of weight, scaled up by
 * the node's recent delivery latency ({@code 1 + latency / 10 ms}), so a node that is falling behind
 * gets fewer new users even before its connection count shows it. Ties by consistent hash.
 */
final class AdaptiveSelector extends ScoredSelector {

    static final double LATENCY_SCALE_MICROS = 10_000;

    @Override
    double score(int connections, NodeInfo node) {
        return (connections + 1.0) / Math.max(1, node.weight()) * (1 + node.latencyMicros() / LATENCY_SCALE_MICROS);
    }
}
