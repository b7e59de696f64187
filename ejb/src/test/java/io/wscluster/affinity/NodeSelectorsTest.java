package io.wscluster.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Distribution properties of each selection strategy over many users. */
class NodeSelectorsTest {

    private static final int USERS = 30_000;

    static NodeInfo node(String id, int connections, int weight, long latencyMicros) {
        return new NodeInfo(id, "", "", NodeState.READY, connections, 0, 0, 0, 0, 1L, weight, latencyMicros, List.of(), 0, false);
    }

    private static final List<NodeInfo> EVEN = List.of(node("n1", 0, 100, 0), node("n2", 0, 100, 0), node("n3", 0, 100, 0));

    private static Map<String, Integer> distribute(NodeSelector selector, List<NodeInfo> nodes) {
        Map<String, Integer> counts = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            counts.merge(selector.select("user-" + u, nodes).orElseThrow().id(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertShare(Map<String, Integer> counts, String id, double expected, double tolerance) {
        double share = counts.getOrDefault(id, 0) / (double) USERS;
        assertTrue(Math.abs(share - expected) <= tolerance, id + " got " + share + ", expected " + expected + " in " + counts);
    }

    @Test
    void roundRobinGivesExactlyEqualShares() {
        Map<String, Integer> counts = distribute(NodeSelectors.named("round-robin"), EVEN);
        assertEquals(Map.of("n1", 10_000, "n2", 10_000, "n3", 10_000), counts);
    }

    @Test
    void randomIsUniformWithinSamplingError() {
        Map<String, Integer> counts = distribute(new RandomSelector(new Random(42)), EVEN);
        EVEN.forEach(n -> assertShare(counts, n.id(), 1 / 3.0, 0.02));
    }

    @Test
    void weightedFollowsTheWeightsExactly() {
        List<NodeInfo> nodes = List.of(node("small", 0, 1, 0), node("medium", 0, 2, 0), node("large", 0, 3, 0));
        Map<String, Integer> counts = distribute(NodeSelectors.named("weighted"), nodes);
        assertEquals(Map.of("small", 5_000, "medium", 10_000, "large", 15_000), counts);
    }

    @Test
    void weightedSpreadsPicksOfOneNodeOut() {
        NodeSelector weighted = NodeSelectors.named("weighted");
        List<NodeInfo> nodes = List.of(node("a", 0, 5, 0), node("b", 0, 1, 0), node("c", 0, 1, 0));
        StringBuilder sequence = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            sequence.append(weighted.select("u", nodes).orElseThrow().id());
        }
        assertEquals("aabacaa", sequence.toString(), "smooth: b and c are interleaved, not bunched at the end");
    }

    @Test
    void leastConnectionsFillsTheEmptiestNodeFirstAndCountsItsOwnChoices() {
        List<NodeInfo> nodes = List.of(node("busy", 900, 100, 0), node("idle", 0, 100, 0), node("half", 450, 100, 0));
        NodeSelector selector = NodeSelectors.named("least-connections");
        Map<String, Integer> first450 = new HashMap<>();
        for (int u = 0; u < 450; u++) {
            first450.merge(selector.select("u" + u, nodes).orElseThrow().id(), 1, Integer::sum);
        }
        assertEquals(Map.of("idle", 450), first450, "the registry's counts are a heartbeat old; its own picks count too");
        Map<String, Integer> next = new HashMap<>();
        for (int u = 0; u < 900; u++) {
            next.merge(selector.select("v" + u, nodes).orElseThrow().id(), 1, Integer::sum);
        }
        assertEquals(Map.of("idle", 450, "half", 450), next, "then idle and half level up together to busy");
    }

    @Test
    void consistentHashIsStableBalancedAndMovesOnlyTheLeavingNodesUsers() {
        NodeSelector hash = NodeSelectors.named("consistent-hash");
        List<NodeInfo> four = List.of(node("n1", 0, 100, 0), node("n2", 0, 100, 0), node("n3", 0, 100, 0), node("n4", 0, 100, 0));
        Map<String, Integer> counts = distribute(hash, four);
        four.forEach(n -> assertShare(counts, n.id(), 0.25, 0.02));

        List<NodeInfo> three = four.subList(0, 3);
        int moved = 0;
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            String before = hash.select(user, four).orElseThrow().id();
            String after = hash.select(user, three).orElseThrow().id();
            assertEquals(before, hash.select(user, List.of(four.get(3), four.get(1), four.get(0), four.get(2))).orElseThrow().id(),
                    "independent of the order nodes are listed in");
            if (!before.equals(after)) {
                moved++;
                assertEquals("n4", before, "only users of the node that left move");
            }
        }
        assertShare(Map.of("moved", moved), "moved", 0.25, 0.02);
    }

    @Test
    void adaptivePrefersCapacityAndPenalisesLatency() {
        NodeSelector adaptive = NodeSelectors.named("adaptive");
        List<NodeInfo> nodes = List.of(node("fast", 0, 100, 0), node("slow", 0, 100, 20_000), node("big", 0, 200, 0));
        Map<String, Integer> counts = distribute(adaptive, nodes);
        // Scores equalise at (c+1)/w*(1+latency/10ms): big takes twice fast's share, slow a third of it.
        assertShare(counts, "big", 6 / 10.0, 0.01);
        assertShare(counts, "fast", 3 / 10.0, 0.01);
        assertShare(counts, "slow", 1 / 10.0, 0.01);
    }

    @Test
    void everyStrategyHandlesNoCandidates() {
        for (String name : List.of("round-robin", "least-connections", "weighted", "random", "consistent-hash", "adaptive")) {
            assertEquals(Optional.empty(), NodeSelectors.named(name).select("u", List.of()), name);
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeSelectors.named("fastest"));
        assertTrue(e.getMessage().contains("consistent-hash"), e.getMessage());
    }
}
