package io.wscluster.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScaleAdviceTest {

    @Test
    void asksForEnoughNodesToStayUnderTheTarget() {
        assertEquals(4, ScaleAdvice.of(3, 25_000, 8_000, 2).desiredNodes());
        assertEquals("scale-out", ScaleAdvice.of(3, 25_000, 8_000, 2).action());
        assertEquals(3, ScaleAdvice.of(3, 24_000, 8_000, 2).desiredNodes(), "exactly at target needs no more");
        assertEquals("hold", ScaleAdvice.of(3, 24_000, 8_000, 2).action());
    }

    @Test
    void neverBelowTheMinimum() {
        assertEquals(2, ScaleAdvice.of(5, 0, 8_000, 2).desiredNodes());
        assertEquals("scale-in", ScaleAdvice.of(5, 0, 8_000, 2).action());
    }
}
