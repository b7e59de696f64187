package io.wscluster.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AffinityRepairTest {

    private static final long NOW = 1_000_000;
    private static final Set<String> READY = Set.of("node-1", "node-3");

    private static UserAffinity entry(String user, String node, long lastSeen, boolean released) {
        return new UserAffinity(user, node, lastSeen, lastSeen, released);
    }

    private static AffinityRepair plan(Map<String, Long> here, Map<String, UserAffinity> entries, List<UserAffinity> claimingMe) {
        return AffinityRepair.plan("node-3", here, entries, claimingMe, READY, NOW);
    }

    @Test
    void aUserWhoseEntryIsRightIsLeftAlone() {
        assertTrue(plan(Map.of("u", NOW - 5), Map.of("u", entry("u", "node-3", NOW - 5, false)), List.of()).isEmpty());
    }

    @Test
    void aUserHereWithoutAnEntryOrWithOneNamingANodeThatLeftIsClaimed() {
        AffinityRepair repair = plan(Map.of("lost", 0L, "drained", 0L, "drained-released", 0L), Map.of(
                "drained", entry("drained", "node-2", NOW - 5, false),
                "drained-released", entry("drained-released", "node-2", NOW - 5, true)), List.of());
        assertEquals(Set.of("lost", "drained", "drained-released"), repair.claims());
    }

    @Test
    void aUserReleasedHereWhileConnectedHereIsClaimed() {
        assertEquals(Set.of("u"), plan(Map.of("u", 0L), Map.of("u", entry("u", "node-3", NOW - 5, true)), List.of()).claims());
    }

    @Test
    void aMoveToAnotherReadyNodeIsGivenTimeThenUndone() {
        UserAffinity moving = entry("u", "node-1", NOW - 5, true);
        assertTrue(plan(Map.of("u", 0L), Map.of("u", moving), List.of()).isEmpty());
        UserAffinity overtaken = entry("u", "node-1", NOW - AffinityRepair.SETTLE_MILLIS, true);
        assertEquals(Set.of("u"), plan(Map.of("u", 0L), Map.of("u", overtaken), List.of()).claims());
    }

    @Test
    void aUserWhoConnectedToAnotherReadyNodeAfterConnectingHereIsNotFoughtOver() {
        assertTrue(plan(Map.of("u", NOW - 100), Map.of("u", entry("u", "node-1", NOW - 50, false)), List.of()).isEmpty());
    }

    @Test
    void anEntryOfAnotherReadyNodeWrittenBeforeTheConnectionHereIsClaimedOnce() {
        // The connect here was lost, or overtaken by the older write of the node the user left.
        UserAffinity older = entry("u", "node-1", NOW - 100, false);
        assertEquals(Set.of("u"), plan(Map.of("u", NOW - 50), Map.of("u", older), List.of()).claims());
        // Written with the time of the repair, which both connections precede: neither node takes it back.
        UserAffinity claimed = entry("u", "node-3", NOW, false);
        assertTrue(plan(Map.of("u", NOW - 50), Map.of("u", claimed), List.of()).isEmpty());
        assertTrue(AffinityRepair.plan("node-1", Map.of("u", NOW - 100), Map.of("u", claimed), List.of(), READY, NOW + 10_000).isEmpty());
    }

    @Test
    void anEntryOfAUserGoneFromHereIsReleasedOnceItHasSettled() {
        UserAffinity gone = entry("gone", "node-3", NOW - AffinityRepair.SETTLE_MILLIS, false);
        UserAffinity justWritten = entry("new", "node-3", NOW - 5, false);
        UserAffinity stillHere = entry("here", "node-3", 0, false);
        AffinityRepair repair = plan(Map.of("here", 0L), Map.of("here", stillHere), List.of(gone, justWritten, stillHere));
        assertEquals(List.of(gone), repair.releases());
        assertTrue(repair.claims().isEmpty());
    }
}
