package io.wscluster.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    void farApartSequenceNumbersAreNeitherDuplicatesNorLost() {
        StreamTracker t = new StreamTracker();
        t.record(5);
        t.record(5 + 1024);
        assertTrue(t.record(6 + 1024));
        assertTrue(t.record(4 + 1024));
        assertFalse(t.record(5));
        assertEquals(4, t.distinct());
        assertEquals(1, t.duplicates());
        assertEquals(1, t.late());
    }

    @Test
    void missingNamesTheHolesBelowTheHighestReceived() {
        StreamTracker t = new StreamTracker();
        for (long s = 0; s < 100; s++) {
            if (s % 10 != 3) {
                t.record(s);
            }
        }
        assertEquals(List.of(3L, 13L, 23L), t.missing(3));
        assertEquals(10, t.missing(100).size());
        t.record(13);
        assertEquals(9, t.missing(100).size(), "a late arrival is no longer missing");
    }

    @Test
    void nothingIsMissingBeforeTheFirstMessage() {
        assertEquals(List.of(), new StreamTracker().missing(10));
    }

    @Test
    void anOldLateArrivalIsDistinct() {
        StreamTracker t = new StreamTracker();
        t.record(3000);
        assertTrue(t.record(10));
        assertEquals(2, t.distinct());
        assertEquals(1, t.late());
    }
}
