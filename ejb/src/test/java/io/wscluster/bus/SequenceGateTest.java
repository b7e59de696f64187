package io.wscluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceGateTest {

    private final List<String> delivered = new ArrayList<>();
    private final Map<String, Long> outOfSequence = new HashMap<>();
    private final SequenceGate gate = new SequenceGate(1_000, b -> delivered.add(b.origin() + b.sequence()),
            (outcome, batches) -> outOfSequence.merge(outcome, batches, Long::sum));

    private static MessageBatch batch(String origin, long epoch, long sequence) {
        return new MessageBatch(origin, epoch, sequence, 0, false, new byte[0]);
    }

    @Test
    void deliversInSequenceWhateverTheArrivalOrder() {
        gate.accept(batch("a", 1, 1), 0);
        gate.accept(batch("a", 1, 4), 0);
        gate.accept(batch("a", 1, 3), 0);
        assertEquals(List.of("a1"), delivered, "3 and 4 wait for 2");
        gate.accept(batch("a", 1, 2), 0);
        assertEquals(List.of("a1", "a2", "a3", "a4"), delivered);
        assertEquals(0, gate.heldBatches());
    }

    @Test
    void originsAreIndependent() {
        gate.accept(batch("a", 1, 1), 0);
        gate.accept(batch("b", 1, 1), 0);
        gate.accept(batch("a", 1, 3), 0);
        gate.accept(batch("b", 1, 2), 0);
        assertEquals(List.of("a1", "b1", "b2"), delivered, "a gap in a does not hold b back");
    }

    @Test
    void aGapOpenLongerThanTheTimeoutIsSkippedAndCounted() {
        gate.accept(batch("a", 1, 1), 0);
        gate.accept(batch("a", 1, 4), 100);
        gate.accept(batch("a", 1, 5), 200);
        gate.expire(1_000);
        assertEquals(List.of("a1"), delivered, "not yet: the gap opened at 100");
        gate.expire(1_100);
        assertEquals(List.of("a1", "a4", "a5"), delivered);
        assertEquals(2, outOfSequence.getOrDefault("lost", 0L));
        gate.accept(batch("a", 1, 6), 1_200);
        assertEquals("a6", delivered.get(3));
    }

    @Test
    void anOriginLeavingReleasesWhatItHeldBack() {
        gate.accept(batch("a", 1, 1), 0);
        gate.accept(batch("a", 1, 5), 0);
        gate.accept(batch("a", 1, 3), 0);
        gate.originLeft("a");
        assertEquals(List.of("a1", "a3", "a5"), delivered);
        assertEquals(0, gate.heldBatches());
    }

    @Test
    void aRestartedOriginStartsAFreshSequence() {
        gate.accept(batch("a", 1, 1), 0);
        gate.accept(batch("a", 1, 2), 0);
        gate.accept(batch("a", 2, 1), 0);
        gate.accept(batch("a", 2, 2), 0);
        assertEquals(List.of("a1", "a2", "a1", "a2"), delivered, "epoch 2's first batches are not mistaken for duplicates");
    }

    @Test
    void joiningMidStreamStartsAtTheFirstBatchSeenAndStillDeliversEarlierOnes() {
        gate.accept(batch("a", 1, 500), 0);
        gate.accept(batch("a", 1, 499), 0);
        gate.accept(batch("a", 1, 501), 0);
        assertEquals(List.of("a500", "a499", "a501"), delivered);
        assertEquals(1, outOfSequence.getOrDefault("late", 0L));
    }

    @Test
    void aStreamSeenFromItsStartWaitsForItsFirstBatches() {
        gate.accept(batch("a", 1, 2), 0);
        gate.accept(batch("a", 1, 3), 0);
        assertEquals(List.of(), delivered, "2 and 3 wait for 1, which is still in flight");
        gate.accept(batch("a", 1, 1), 10);
        assertEquals(List.of("a1", "a2", "a3"), delivered);
        assertEquals(0, outOfSequence.getOrDefault("late", 0L));
    }

    @Test
    void aFirstBatchThatNeverComesIsSkippedAfterTheTimeout() {
        gate.accept(batch("a", 1, 3), 0);
        gate.expire(1_000);
        assertEquals(List.of("a3"), delivered);
        assertEquals(2, outOfSequence.getOrDefault("lost", 0L));
    }
}
