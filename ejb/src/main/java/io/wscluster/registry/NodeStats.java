package io.wscluster.registry;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/** Counters of this node's traffic, cheap to bump on hot paths; the heartbeat turns them into rates. */
@ApplicationScoped
public class NodeStats {

    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder remoteLatencyMicros = new LongAdder();
    private final LongAdder remoteMessages = new LongAdder();

    /** A message was accepted for publishing on this node. */
    public void published() {
        published.increment();
    }

    /** Frames handed to local connections' queues. */
    public void delivered(int frames) {
        delivered.add(frames);
    }

    /** A message from another node arrived here {@code micros} after it was published. */
    public void remoteArrival(long micros) {
        remoteLatencyMicros.add(Math.max(0, micros));
        remoteMessages.increment();
    }

    public long publishedTotal() {
        return published.sum();
    }

    public long deliveredTotal() {
        return delivered.sum();
    }

    /** Sum of remote latencies and count, read together for a mean over an interval. */
    public long[] remoteLatencyTotals() {
        return new long[] {remoteLatencyMicros.sum(), remoteMessages.sum()};
    }
}
