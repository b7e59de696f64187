package io.wscluster.loadtest.report;

/** One point of the run's timeline (a sample, about once a second); latencies in milliseconds, NaN when none. */
public record Second(double t, String phase, int connected, int subscribed, double publishedPerSecond,
                     double deliveredPerSecond, double p50, double p99, double max, long reconnects) {
}
