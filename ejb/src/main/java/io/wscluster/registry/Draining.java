package io.wscluster.registry;

/** Fired when this node starts draining: its clients should be moved away before {@code deadlineMillis}. */
public record Draining(long deadlineMillis) {
}
