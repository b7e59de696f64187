package io.wscluster.web.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget for frames that are still arriving: every connection reading a frame that did not come
 * whole in one read holds the frame's announced length here until its last byte, so however many clients
 * start large frames and stall, what the node buffers for them together stays within the budget.
 */
final class PartialFrames {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    PartialFrames(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} of the budget; false (and nothing taken) when there is not that much left. */
    boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (bytes > capacity - now) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
