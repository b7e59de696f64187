package io.wscluster.loadtest.measure;

/**
 * What one receiver saw of one publisher's sequence on one channel: distinct messages, duplicates and
 * late (out-of-order) arrivals, in constant memory. A sliding window of the last {@value #WINDOW}
 * sequence numbers (as in IPsec's anti-replay check) tells a duplicate from a late first arrival; anything
 * older than the window is counted as late and distinct, so loss is never overstated.
 */
public final class StreamTracker {

    static final int WINDOW = 1024;

    private final long[] seen = new long[WINDOW / 64];
    private long highest = -1;
    private long distinct;
    private long duplicates;
    private long late;

    /** Records sequence number {@code seq} (0-based); returns false for a duplicate. */
    public boolean record(long seq) {
        if (seq > highest) {
            for (long s = Math.max(highest + 1, seq - WINDOW + 1); s < seq; s++) {
                clear(s);
            }
            set(seq);
            highest = seq;
            distinct++;
            return true;
        }
        if (seq <= highest - WINDOW) {
            late++;
            distinct++;
            return true;
        }
        if (isSet(seq)) {
            duplicates++;
            return false;
        }
        set(seq);
        late++;
        distinct++;
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

    private void set(long seq) {
        int bit = (int) (seq % WINDOW);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long seq) {
        int bit = (int) (seq % WINDOW);
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }

    private boolean isSet(long seq) {
        int bit = (int) (seq % WINDOW);
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
