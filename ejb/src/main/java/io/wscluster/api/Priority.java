package io.wscluster.api;

/** How urgently a message is delivered. */
public enum Priority {
    /** Batched between nodes (about a millisecond) and queued behind earlier messages. */
    NORMAL,
    /** Sent between nodes at once and placed ahead of normal messages in each client's queue. */
    HIGH
}
