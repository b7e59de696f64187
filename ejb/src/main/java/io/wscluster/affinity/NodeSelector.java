package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.List;
import java.util.Optional;

/** Chooses a node for a user who has no live affinity; implementations are named in {@link NodeSelectors}. */
public interface NodeSelector {

    /** @param candidates the READY nodes; empty means there is nowhere to go */
    Optional<NodeInfo> select(String user, List<NodeInfo> candidates);
}
