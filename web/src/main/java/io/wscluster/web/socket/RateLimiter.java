package io.wscluster.web.socket;

/** A token bucket for one connection's inbound frames: {@code perSecond} sustained, bursts up to the same. */
final class RateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    /** @param perSecond frames per second; 0 or less means unlimited */
    RateLimiter(int perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    /** Called from the connection's own message thread; Jakarta WebSocket delivers one frame at a time. */
    boolean tryAcquire(long nowNanos) {
        if (capacity <= 0) {
            return true;
        }
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
