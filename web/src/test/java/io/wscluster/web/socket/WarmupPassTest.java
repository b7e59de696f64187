package io.wscluster.web.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmupPassTest {

    @Test
    void admitsItsOwnValueOnly() {
        WarmupPass pass = WarmupPass.random();
        String value = pass.value();
        assertTrue(value.length() >= 43, "32 random bytes: " + value);
        assertTrue(pass.admits(List.of(value)));
        assertFalse(pass.admits(List.of(value.substring(1))));
        assertFalse(pass.admits(List.of(value + "x")));
        assertFalse(pass.admits(List.of("")));
        assertFalse(pass.admits(null), "no parameter");
        assertFalse(pass.admits(List.of(value, value)), "the parameter given twice");
        assertNotEquals(value, WarmupPass.random().value(), "each start-up has its own");
    }

    @Test
    void admitsNobodyOnceTheWarmupIsOver() {
        WarmupPass pass = WarmupPass.random();
        String value = pass.value();
        pass.close();
        assertFalse(pass.admits(List.of(value)));
        assertThrows(IllegalStateException.class, pass::value);
    }
}
