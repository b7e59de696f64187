package io.wscluster.web.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressLimitsTest {

    @Test
    void openSocketsAreCappedPerAddressAndGivenBack() {
        AddressLimits limits = new AddressLimits(2, 0);
        assertNull(limits.admit("a", 1_000));
        assertNull(limits.admit("a", 1_000));
        assertTrue(limits.admit("a", 1_000).contains("open connections"));
        assertNull(limits.admit("b", 1_000), "other addresses are unaffected");
        limits.release("a");
        assertNull(limits.admit("a", 1_000));
        assertEquals(2, limits.open("a"));
    }

    @Test
    void attemptsPerSecondAreCappedRefusedOnesIncluded() {
        AddressLimits limits = new AddressLimits(1, 3);
        assertNull(limits.admit("a", 5_000));
        assertTrue(limits.admit("a", 5_100).contains("open connections"));
        assertTrue(limits.admit("a", 5_200).contains("open connections"));
        assertTrue(limits.admit("a", 5_300).contains("handshakes per second"), "the fourth attempt in one second");
        limits.release("a");
        assertNull(limits.admit("a", 6_000), "a new second");
    }

    @Test
    void idleAddressesAreForgotten() {
        AddressLimits limits = new AddressLimits(5, 5);
        assertNull(limits.admit("a", 1_000));
        limits.release("a");
        assertNull(limits.admit("b", 4_000));
        assertEquals(0, limits.open("a"));
        assertEquals(1, limits.addresses(), "only b is held");
    }
}
