package io.wscluster.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamTrackerTest {

    @Test
    void inOrderStreamIsAllDistinct() {
        StreamTracker t = new StreamTracker();
        for (long s = 0; s < 5000; s++) {
            assertTrue(t.record(s));
        }
        assertEquals(5000, t.distinct());
        assertEquals(0, t.duplicates());
        assertEquals(0, t.late());
    }

    @Test
    void repeatedSequenceIsADuplicate() {
        StreamTracker t = new StreamTracker();
        t.record(0);
        t.record(1);
        assertFalse(t.record(1));
        assertFalse(t.record(0));
        assertEquals(2, t.distinct());
        assertEquals(2, t.duplicates());
    }

    @Test
    void gapThenLateArrivalCountsLateNotDuplicate() {
        StreamTracker t = new StreamTracker();
        t.record(0);
        t.record(2);
        assertTrue(t.record(1));
        assertEquals(3, t.distinct());
        assertEquals(1, t.late());
        assertFalse(t.record(1));
    }

    @Test
    void gapsLeaveDistinctBelowPublished() {
        StreamTracker t = new StreamTracker();
        for (long s = 0; s < 100; s++) {
            if (s % 10 != 3) {
                t.record(s);
            }
        }
        assertEquals(90, t.distinct(), "10 of 100 lost");
    }

    @Test
    void jumpBeyondTheWindowForgetsOldMarks() {
        StreamTracker t = new StreamTracker();
        t.record(5);
        t.record(5 + StreamTracker.WINDOW); // same slot in the window, must not look like a duplicate
        assertEquals(2, t.distinct());
        assertEquals(0, t.duplicates());
        assertTrue(t.record(6 + StreamTracker.WINDOW));
        assertTrue(t.record(4 + StreamTracker.WINDOW), "slot reused from before the jump was cleared");
        assertEquals(0, t.duplicates());
    }

    @Test
    void olderThanWindowIsCountedLateAndDistinct() {
        StreamTracker t = new StreamTracker();
        t.record(3000);
        assertTrue(t.record(10));
        assertEquals(2, t.distinct());
        assertEquals(1, t.late());
    }
}
