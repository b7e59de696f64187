package io.wscluster.web.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void anIdHoldsEveryChannelsPositionAndReadsBackTheSame() {
        Map<String, EventIds.Position> positions = new LinkedHashMap<>();
        positions.put("room.a", new EventIds.Position("k3x9", 42));
        positions.put("inbox.user#bob", new EventIds.Position("", 0));
        positions.put("chat:x@y-z_1", new EventIds.Position("z", 7));
        String id = EventIds.encode(positions);
        assertEquals("room.a!k3x9!42,inbox.user#bob!!0,chat:x@y-z_1!z!7", id);
        assertEquals(positions, EventIds.decode(id));
    }

    @Test
    void entriesThatDoNotParseAreLeftOutAndTheRestKept() {
        Map<String, EventIds.Position> decoded = EventIds.decode("room.a!e1!5,bad,x!y,c!e!-1,d!e!9x,has space!e!1,e!é!1,room.b!e2!0");
        assertEquals(Map.of("room.a", new EventIds.Position("e1", 5), "room.b", new EventIds.Position("e2", 0)), decoded);
    }

    @Test
    void nothingOrTooMuchIsAFreshStart() {
        assertTrue(EventIds.decode(null).isEmpty());
        assertTrue(EventIds.decode("").isEmpty());
        assertTrue(EventIds.decode("a!e!1,".repeat(EventIds.MAX_LENGTH / 6 + 1)).isEmpty());
    }
}
