package io.wscluster.registry;

import java.util.List;
import java.util.Optional;

/** The cluster's node registry as this node sees it. */
public interface NodeRegistry {

    /** Every registered node, ordered by id. */
    List<NodeInfo> nodes();

    Optional<NodeInfo> node(String id);

    /** Nodes that accept clients. */
    default List<NodeInfo> readyNodes() {
        return nodes().stream().filter(n -> n.state().acceptsClients()).toList();
    }

    /** This node's own state. */
    NodeState localState();
}
