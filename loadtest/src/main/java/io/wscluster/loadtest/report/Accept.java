package io.wscluster.loadtest.report;

/**
 * How fast the cluster took the run's connections: how many were subscribed at the end of the connect
 * phase, the seconds from the start of the load processes (a JVM start, about half a second) until then
 * (all in, or the connect timeout; sampled once a second), the CPU the nodes spent meanwhile (NaN unless
 * --node-cpu), and the CPU the load tool itself spent (its processes, their start included; and per
 * connection past the first quarter of the ramp, its steady cost): on a machine the tool shares with the
 * nodes, what it takes the nodes do not get. When clients are asked for faster
 * than the nodes take them, connections per second is the cluster's accept rate.
 */
public record Accept(int subscribed, double seconds, double nodeCpuSeconds, double toolCpuSeconds, double toolMarginalCpuMillis) {

    public double perSecond() {
        return seconds > 0 ? subscribed / seconds : Double.NaN;
    }

    public double nodeCpuMillisPerConnection() {
        return subscribed > 0 ? nodeCpuSeconds * 1000 / subscribed : Double.NaN;
    }

    public double toolCpuMillisPerConnection() {
        return subscribed > 0 ? toolCpuSeconds * 1000 / subscribed : Double.NaN;
    }
}
