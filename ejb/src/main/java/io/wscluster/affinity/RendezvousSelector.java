package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Consistent hashing by rendezvous (highest random weight): each user goes to the node with the highest
 * hash of (node, user). Every node computes the same answer, and when a node leaves only its own users move.
 */
final class RendezvousSelector implements NodeSelector {

    @Override
    public Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        NodeInfo best = null;
        long bestScore = 0;
        for (NodeInfo candidate : candidates) {
            long score = score(candidate.id(), user);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0
                    || (score == bestScore && candidate.id().compareTo(best.id()) < 0)) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** FNV-1a over node and user, finished with the SplitMix64 mixer for an even spread. */
    static long score(String nodeId, String user) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (nodeId + '\u0000' + user).getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
