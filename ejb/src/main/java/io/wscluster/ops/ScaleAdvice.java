package io.wscluster.ops;

/**
 * How many nodes the current load wants: enough that no node holds more than the target number of
 * connections, and never fewer than the minimum.
 */
public record ScaleAdvice(int currentNodes, int desiredNodes, long connections, int targetConnectionsPerNode) {

    public static ScaleAdvice of(int currentNodes, long connections, int targetPerNode, int minNodes) {
        int desired = (int) Math.max(minNodes, (connections + targetPerNode - 1) / Math.max(1, targetPerNode));
        return new ScaleAdvice(currentNodes, desired, connections, targetPerNode);
    }

    /** "scale-out", "scale-in" or "hold", for an orchestrator that only reads one word. */
    public String action() {
        return desiredNodes > currentNodes ? "scale-out" : desiredNodes < currentNodes ? "scale-in" : "hold";
    }
}
