package io.wscluster.loadtest.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.loadtest.soak.SoakReport.Interval;
import io.wscluster.loadtest.soak.SoakReport.NodeSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {

    @Test
    void aSeriesThatClimbsBeyondBothMarginsGrows() {
        Growth g = Growth.of(List.of(100.0, 102.0, 101.0, 120.0, 125.0, 130.0, 140.0, 150.0, 160.0), 0.10, 16);
        assertEquals(101.0, g.first());
        assertEquals(150.0, g.last());
        assertTrue(g.grows());
    }

    @Test
    void oneOutlierDoesNotMakeGrowthAndSmallDriftStaysUnderTheMargins() {
        assertFalse(Growth.of(List.of(100.0, 101.0, 99.0, 300.0, 100.0, 102.0, 101.0, 103.0, 100.0), 0.10, 16).grows());
        assertFalse(Growth.of(List.of(100.0, 101.0, 102.0, 104.0, 106.0, 108.0), 0.10, 16).grows());
        assertFalse(Growth.of(List.of(10.0, 11.0), 0.10, 1).grows(), "two samples say nothing");
    }

    @Test
    void theVerdictNamesTheNodeLifeAndFigureThatGrowsAndCountsLoss() {
        List<NodeSample> nodes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nodes.add(new NodeSample(i * 2, "node-1", "11", 100 + i * 20, 600, 80, 200));
            nodes.add(new NodeSample(i * 2, "node-2", i < 4 ? "21" : "22", 100 + i * 30, 600, 80, 200));
        }
        List<Interval> intervals = List.of(new Interval(2, "-", 3, 12, 40, 0, 0, 0), new Interval(4, "node-2", 3, 900, 1500, 2, 0, 0),
                new Interval(6, "-", 3, 11, 30, 0, 0, 0), new Interval(8, "-", 3, 13, 35, 0, 1, 0));
        List<String> verdict = SoakReport.verdict(nodes, intervals);
        String last = verdict.get(verdict.size() - 1);
        assertEquals("verdict: grows: node-1 (pid 11) heap after GC MiB", last, "node-2's lives are too short to judge: " + verdict);
        assertTrue(verdict.contains("over 4 intervals (1 with a node drained): lost 2, duplicates 1, out of order 0"), verdict.toString());
    }
}
