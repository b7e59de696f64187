package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void countsBytesNotChars() {
        String euros = "\u20ac".repeat(10); // 3 bytes each
        assertFalse(Utf8.exceeds(euros, 30));
        assertTrue(Utf8.exceeds(euros, 29));
    }

    @Test
    void decidesByLengthAlone() {
        assertTrue(Utf8.exceeds("x".repeat(11), 10));
        assertFalse(Utf8.exceeds("x".repeat(10), 10));
        assertFalse(Utf8.exceeds("", 0));
    }

    @Test
    void countsSurrogatePairsAsFourBytes() {
        String emoji = "\uD83D\uDE00".repeat(3); // 6 chars, 12 bytes
        assertFalse(Utf8.exceeds(emoji, 12));
        assertTrue(Utf8.exceeds(emoji, 11));
    }

    @Test
    void userIds() {
        assertTrue(UserIds.isValid("alice@example.com"));
        assertFalse(UserIds.isValid("al ice"));
        assertFalse(UserIds.isValid(""));
        assertFalse(UserIds.isValid(null));
        assertFalse(UserIds.isValid("x".repeat(UserIds.MAX_LENGTH + 1)));
    }
}
