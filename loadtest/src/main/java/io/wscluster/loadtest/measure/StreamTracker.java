package io.wscluster.loadtest.measure;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What one receiver saw of one publisher's sequence on one channel: every sequence number received, one
 * bit each (a run of a million messages is 125 KB per stream), so duplicates, late (out-of-order) arrivals
 * and the numbers never received are exact.
 */
public final class StreamTracker {

    private final BitSet seen = new BitSet();
    private long highest = -1;
    private long distinct;
    private long duplicates;
    private long late;

    /** Records sequence number {@code seq} (0-based); returns false for a duplicate. */
    public boolean record(long seq) {
        int bit = Math.toIntExact(seq);
        if (seen.get(bit)) {
            duplicates++;
            return false;
        }
        seen.set(bit);
        distinct++;
        if (seq < highest) {
            late++;
        } else {
            highest = seq;
        }
        return true;
    }

    public long distinct() {
        return distinct;
    }

    public long duplicates() {
        return duplicates;
    }

    public long late() {
        return late;
    }

    /**
     * The sequence numbers below the highest received that never arrived, at most {@code limit}: the
     * messages this receiver missed (or that were never accepted; a publisher knows which).
     */
    public List<Long> missing(int limit) {
        List<Long> missing = new ArrayList<>();
        for (int s = seen.nextClearBit(0); s < highest && missing.size() < limit; s = seen.nextClearBit(s + 1)) {
            missing.add((long) s);
        }
        return missing;
    }
}
