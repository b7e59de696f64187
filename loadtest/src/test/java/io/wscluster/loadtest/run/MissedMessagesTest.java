package io.wscluster.loadtest.run;

import io.wscluster.loadtest.client.ChannelMix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wscluster.loadtest.measure.MessageId;
import io.wscluster.loadtest.report.Missed;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MissedMessagesTest {

    private static JsonObject worker(String unacknowledged, String... missed) {
        var list = Json.createArrayBuilder();
        for (String m : missed) {
            String[] parts = m.split(" ");
            list.add(Json.createObjectBuilder().add("id", parts[0]).add("clients", Long.parseLong(parts[1]))
                    .add("reconnected", Long.parseLong(parts[2])));
        }
        var unacknowledgedList = Json.createArrayBuilder();
        if (!unacknowledged.isEmpty()) {
            unacknowledgedList.add(unacknowledged);
        }
        return Json.createObjectBuilder().add("missed", list).add("unacknowledged", unacknowledgedList).build();
    }

    @Test
    void workersAreSummedUnacknowledgedPublishesDroppedAndTheMostMissedComeFirst() {
        List<Missed> missed = Coordinator.missed(List.of(
                worker("", "0/1/7 3 0", "0/2/9 1 1"),
                worker("0/2/9", "0/1/7 2 2", "1/0/4 10 10")), ChannelMix.parse("uniform:3"));
        assertEquals(List.of(new Missed("room.bench.0", 1, 4, 10, 10), new Missed("room.bench.1", 0, 7, 5, 2)), missed,
                "0/2/9 was never acknowledged to its publisher: a gap, not a loss");
    }

    @Test
    void aSocketRequestIdNamesChannelAndSequence() {
        long id = MessageId.requestId(2, 1234, 3);
        assertEquals(new MessageId(5, 2, 1234), MessageId.ofRequest(5, id, 3));
        assertEquals(new MessageId(5, 2, 1234), MessageId.parse(new MessageId(5, 2, 1234).toString()));
    }
}
