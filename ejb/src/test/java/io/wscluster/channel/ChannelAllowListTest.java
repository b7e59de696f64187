package io.wscluster.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelAllowListTest {

    private final ChannelAllowList list = ChannelAllowList.of(List.of("news", " chat.* ", "", "*.audit", "a*b"));

    @Test
    void exactNamesMatchOnlyThemselves() {
        assertTrue(list.allows("news"));
        assertFalse(list.allows("news2"));
        assertFalse(list.allows("NEWS"));
    }

    @Test
    void starMatchesOneOrMoreNameCharacters() {
        assertTrue(list.allows("chat.lobby"));
        assertTrue(list.allows("chat.eu.sales"));
        assertFalse(list.allows("chat."));
        assertFalse(list.allows("chat"));
        assertTrue(list.allows("orders.audit"));
        assertFalse(list.allows(".audit"));
        assertTrue(list.allows("axb"));
        assertFalse(list.allows("ab"));
    }

    @Test
    void patternCharactersAreLiteral() {
        ChannelAllowList dots = ChannelAllowList.of(List.of("a.b"));
        assertFalse(dots.allows("axb"), "a dot in an entry is a dot, not a regex wildcard");
    }

    @Test
    void entriesAreTrimmedAndBlanksDropped() {
        assertEquals(List.of("news", "chat.*", "*.audit", "a*b"), list.entries());
    }

    @Test
    void invalidEntriesFailLoudly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelAllowList.of(List.of("ok", "bad name")));
        assertTrue(e.getMessage().contains("bad name"));
        assertThrows(IllegalArgumentException.class, () -> ChannelAllowList.of(List.of("chat.(x)")));
    }
}
