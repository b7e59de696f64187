package io.wscluster.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChannelNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"news", "chat.lobby", "a", "room-1_x:y", "9lives"})
    void acceptsValidNames(String name) {
        assertTrue(ChannelNames.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".news", "-x", "has space", "emoji\u263A", "slash/x", "star*"})
    void rejectsInvalidNames(String name) {
        assertFalse(ChannelNames.isValid(name));
    }

    @Test
    void enforcesMaximumLength() {
        assertTrue(ChannelNames.isValid("x".repeat(ChannelNames.MAX_LENGTH)));
        assertFalse(ChannelNames.isValid("x".repeat(ChannelNames.MAX_LENGTH + 1)));
        assertFalse(ChannelNames.isValid(null));
    }
}
