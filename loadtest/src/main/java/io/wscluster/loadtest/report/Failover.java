package io.wscluster.loadtest.report;

import org.HdrHistogram.Histogram;

/**
 * What killing a node cost: the affected clients (connections lost after the kill), how long until each
 * saw its connection end (detection), was connected and resubscribed again (from the kill, and from its own
 * loss), and the messages they lost.
 */
public record Failover(String node, String signal, double atSecond, int affected, int resubscribed, int downAtEnd,
                       Histogram detected, Histogram fromKill, Histogram gap, long affectedExpected, long affectedLost) {
}
