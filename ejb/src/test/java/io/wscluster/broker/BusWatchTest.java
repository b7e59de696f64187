package io.wscluster.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BusWatchTest {

    @Test
    void aNodeHearingAtLeastHalfOfTheOthersStays() {
        assertTrue(BusWatch.reachable("node-1", List.of(), List.of()), "alone: nobody to hear");
        assertTrue(BusWatch.reachable("node-1", List.of("node-2", "node-3"), List.of("node-3")), "the majority's side of a cut");
        assertTrue(BusWatch.reachable("node-2", List.of("node-1", "node-3", "node-4"), List.of("node-4")));
    }

    @Test
    void aNodeHearingLessThanHalfIsCutOff() {
        assertFalse(BusWatch.reachable("node-3", List.of("node-1", "node-2"), List.of("node-1", "node-2")));
        assertFalse(BusWatch.reachable("node-5", List.of("node-1", "node-2", "node-3", "node-4"), List.of("node-1", "node-2", "node-3")));
    }

    @Test
    void ofTwoNodesThatCannotHearEachOtherTheLowerIdStays() {
        assertTrue(BusWatch.reachable("node-1", List.of("node-2"), List.of("node-2")));
        assertFalse(BusWatch.reachable("node-2", List.of("node-1"), List.of("node-1")));
    }
}
