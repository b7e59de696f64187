package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;

/** The node with the fewest connections (counting this node's choices since its last heartbeat); ties by consistent hash. */
final class LeastConnectionsSelector extends ScoredSelector {

    @Override
    double score(int connections, NodeInfo node) {
        return connections;
    }
}
