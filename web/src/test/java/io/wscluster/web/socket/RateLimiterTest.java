package io.wscluster.web.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstThenRefillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(10, 0);
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.tryAcquire(0));
        }
        assertFalse(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(SECOND / 10), "one token back after a tenth of a second");
        assertFalse(limiter.tryAcquire(SECOND / 10));
    }

    @Test
    void neverStoresMoreThanOneSecondOfTokens() {
        RateLimiter limiter = new RateLimiter(5, 0);
        long later = 60 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(later));
        }
        assertFalse(limiter.tryAcquire(later));
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter limiter = new RateLimiter(0, 0);
        for (int i = 0; i < 100_000; i++) {
            assertTrue(limiter.tryAcquire(0));
        }
    }
}
