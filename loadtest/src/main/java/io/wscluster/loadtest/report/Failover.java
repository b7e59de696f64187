package io.wscluster.loadtest.report;

import io.wscluster.loadtest.measure.Tallies;
import org.HdrHistogram.Histogram;

/**
 * What killing a node cost: the affected clients (connections lost after the kill), how long until each
 * was connected and resubscribed again (from the kill, and from its own loss), where that time went, and
 * the messages they lost.
 */
public record Failover(String node, String signal, double atSecond, int affected, int resubscribed, int downAtEnd,
                       Phases phases, Histogram fromKill, Histogram gap, long affectedExpected, long affectedLost) {

    /**
     * An affected client's way back, phase by phase: from the kill until it saw its connection end, from
     * then until the attempt that succeeded began (backoff and failed attempts), that attempt's handshake,
     * and from the handshake until its subscriptions were confirmed (recovery included).
     */
    public record Phases(Histogram detected, Histogram retrying, Histogram handshake, Histogram subscribing) {

        public Phases() {
            this(Tallies.micros(), Tallies.micros(), Tallies.micros(), Tallies.micros());
        }

        public void record(long killed, long lost, long attemptStarted, long opened, long back) {
            detected.recordValue(Math.max(0, lost - killed));
            retrying.recordValue(Math.max(0, attemptStarted - lost));
            handshake.recordValue(Math.max(0, opened - attemptStarted));
            subscribing.recordValue(Math.max(0, back - opened));
        }
    }
}
