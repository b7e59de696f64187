package io.wscluster.affinity;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's anti-entropy round over the affinity cache: the users connected here whose entry does not say
 * so, and the entries that claim a user for this node who is no longer here.
 *
 * <p>Either can happen without a fault of ours: the cache is replicated asynchronously, so a write sent to a
 * primary owner that leaves (a drained node exiting) is lost, and a topology change can apply a write on
 * some copies only; a user's connect here can be overtaken by an older write from the node it left; a
 * rebalancing move can be overtaken by the client's own reconnect to the node it is leaving. Left alone,
 * such an entry routes the user's next connection wrongly and miscounts users for as long as the
 * connection lasts.
 *
 * @param claims users connected here to be written as this node's
 * @param releases entries of this node's users who are gone, to be marked released
 */
record AffinityRepair(Set<String> claims, List<UserAffinity> releases) {

    /**
     * How long an entry that disagrees with this node may stand: a move the rebalancer started (the user
     * pointed at another READY node, its connection here closed within the rebalancing spread), or a
     * connect or release this node has just written.
     */
    static final long SETTLE_MILLIS = 30_000;

    /**
     * @param here users with a connection on this node whose connect or disconnect is not waiting to be written,
     *     each with when its newest connection here became the user's (epoch millis)
     * @param entries the cache's entries of those users
     * @param claimingMe the cache's live (not released) entries naming this node
     * @param ready the ids of the READY nodes
     */
    static AffinityRepair plan(String me, Map<String, Long> here, Map<String, UserAffinity> entries,
            Collection<UserAffinity> claimingMe, Set<String> ready, long now) {
        Set<String> claims = new HashSet<>();
        here.forEach((user, since) -> {
            UserAffinity entry = entries.get(user);
            if (entry == null || wrong(me, entry, since, ready, now)) {
                claims.add(user);
            }
        });
        List<UserAffinity> releases = claimingMe.stream()
                .filter(entry -> entry.nodeId().equals(me) && !entry.released() && !here.containsKey(entry.user())
                        && now - entry.lastSeen() >= SETTLE_MILLIS)
                .toList();
        return new AffinityRepair(claims, releases);
    }

    /**
     * Whether the entry of a user connected here (its newest connection since {@code since}) is wrong for
     * good, rather than a change under way.
     */
    private static boolean wrong(String me, UserAffinity entry, long since, Set<String> ready, long now) {
        if (entry.nodeId().equals(me)) {
            return entry.released();
        }
        if (!ready.contains(entry.nodeId())) {
            return true; // a node that left or is leaving cannot have the user
        }
        if (entry.released()) {
            return now - entry.lastSeen() >= SETTLE_MILLIS;
        }
        // Live on another READY node too, or so its copy says. The latest connect has the user: an entry
        // written before the connection here is one whose successor was lost. Once this node writes it, its
        // time is after both connections, so the other node never writes it back: no back and forth.
        return since > entry.lastSeen();
    }

    boolean isEmpty() {
        return claims.isEmpty() && releases.isEmpty();
    }
}
