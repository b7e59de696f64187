package io.wscluster.loadtest.report;

/** One node's footprint: its own count of connections, heap used after a full GC, resident memory. */
public record NodeSample(String node, long pid, int connections, long heapUsedBytes, long rssBytes) {
}
