package io.wscluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import io.wscluster.api.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    private final List<Message> messages = List.of(
            new Message("n1-1", "news", null, "{\"t\":\"caf\u00e9 \u20ac \uD83D\uDE00\"}", 11L, Origin.SOCKET, Priority.NORMAL, "k1", "e1", 7),
            new Message("n1-2", null, "bob", "\"" + "x".repeat(70_000) + "\"", 12L, Origin.EJB, Priority.HIGH, null, null, 0),
            new Message("n1-3", "chat.a", null, "null", 13L, Origin.REST, Priority.NORMAL, null, null, 0));

    @Test
    void roundTripsEveryField() {
        MessageBatch batch = new BatchCodec(0).encode("n1", 77L, 5L, messages);
        assertEquals("n1", batch.origin());
        assertEquals(77L, batch.epoch());
        assertEquals(5L, batch.sequence());
        assertFalse(batch.compressed());
        assertEquals(messages, BatchCodec.decode(batch));
    }

    @Test
    void largeBatchesAreDeflatedAndStillRoundTrip() {
        MessageBatch batch = new BatchCodec(16_384).encode("n1", 1L, 1L, messages);
        assertTrue(batch.compressed());
        assertTrue(batch.payload().length < 10_000, "70 KB of repetitive JSON deflates well: " + batch.payload().length);
        assertEquals(messages, BatchCodec.decode(batch));
    }

    @Test
    void smallBatchesStayUncompressed() {
        assertFalse(new BatchCodec(16_384).encode("n1", 1L, 1L, List.of(messages.get(0))).compressed());
    }
}
