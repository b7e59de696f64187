package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.Optional;
import java.util.Map;
import org.infinispan.Cache;

/** Session affinity: which node each user is on, and which node a user without one should go to. */
public interface AffinityService {

    /** The user's first connection on this node opened. */
    void connected(String user);

    /** The user's last connection on this node closed. */
    void disconnected(String user);

    Optional<UserAffinity> lookup(String user);

    /** The user's affinity node (even if released) if it is READY, else the configured strategy's choice among READY nodes. */
    Optional<NodeInfo> choose(String user);

    /** Routes the user's next connection to {@code nodeId} (rebalancing): a released entry pointing there. */
    void moveTo(String user, String nodeId);

    /** Releases every user held by a node that is gone. */
    void releaseNode(String nodeId);

    /**
     * Anti-entropy: writes as this node's the users connected here whose entry says otherwise, and
     * releases this node's entries of users no longer here (see {@link AffinityRepair}).
     */
    void reconcile(Map<String, Long> usersHere);

    /**
     * Writes every user connected here as this node's, whatever this node's copy says: after partitions
     * merge, the copies of other nodes may hold what the other side wrote, which no node's own copy shows.
     */
    void reassert(Map<String, Long> usersHere);

    /** The configured selection strategy's name. */
    String strategy();

    /** The affinity cache (user id -> entry), for listening to its changes and walking its users. */
    Cache<String, UserAffinity> cache();
}
