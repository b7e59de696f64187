package io.wscluster.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelRulesTest {

    private final ChannelRules list = ChannelRules.of(List.of("news", " chat.* ", "", "*.audit", "a*b"));

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
        ChannelRules dots = ChannelRules.of(List.of("a.b"));
        assertFalse(dots.allows("axb"), "a dot in an entry is a dot, not a regex wildcard");
    }

    @Test
    void entriesAreTrimmedAndBlanksDropped() {
        assertEquals(List.of("news", "chat.*", "*.audit", "a*b"), list.entries());
    }

    @Test
    void invalidEntriesFailLoudly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelRules.of(List.of("ok", "bad name")));
        assertTrue(e.getMessage().contains("bad name"));
        assertThrows(IllegalArgumentException.class, () -> ChannelRules.of(List.of("chat.(x)")));
    }

    @Test
    void optionsFollowAnEntryInBraces() {
        ChannelRules rules = ChannelRules.of(List.of("prices.*{slow=latest-per-key}", "chat.*{history=100; history-ttl=10m}",
                "prices.eur{slow=drop-oldest}", "news"));
        assertEquals(SlowConsumerPolicy.DROP_OLDEST, rules.find("prices.eur").orElseThrow().slowConsumer(), "an exact name wins");
        assertEquals(SlowConsumerPolicy.LATEST_PER_KEY, rules.find("prices.usd").orElseThrow().slowConsumer());
        ChannelOptions chat = rules.find("chat.lobby").orElseThrow();
        assertEquals(100, chat.historySize());
        assertEquals(java.time.Duration.ofMinutes(10), chat.historyTtl());
        assertEquals(ChannelOptions.DEFAULTS, rules.find("news").orElseThrow());
        assertTrue(rules.find("other").isEmpty());
        assertEquals("chat.*{history=100; history-ttl=10m}", rules.entries().get(1), "entries keep their options");
    }

    @Test
    void flagsAndWhatTheyImply() {
        ChannelOptions ticker = ChannelRules.of(List.of("t{cache}")).find("t").orElseThrow();
        assertTrue(ticker.cache());
        assertEquals(1, ticker.historySize(), "a cache needs the latest message kept");
        ChannelOptions room = ChannelRules.of(List.of("r{join-leave;history=20}")).find("r").orElseThrow();
        assertTrue(room.presence(), "join and leave frames need presence");
        assertTrue(room.joinLeave());
        assertTrue(room.keepsHistory());
        assertFalse(ChannelOptions.DEFAULTS.keepsHistory());
    }

    @Test
    void badOptionsFailLoudlyNamingTheEntry() {
        for (String entry : List.of("a{slow=never}", "a{history=-1}", "a{history-ttl=soon}", "a{colour=red}", "a{slow=disconnect",
                "a{presence=maybe}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelRules.of(List.of(entry)), entry);
            assertTrue(e.getMessage().contains(entry), e.getMessage());
        }
    }
}
