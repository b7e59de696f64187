package io.wscluster.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.Priority;
import io.wscluster.broker.Broker;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.channel.ChannelRules;
import io.wscluster.message.UserCommand;
import io.wscluster.history.ReadSince;
import io.wscluster.history.StreamSlice;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import io.wscluster.metrics.NoopMetricRegistry;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Keyed publishes to a channel without history wait for their claim in the cluster's window without
 * blocking their caller, and reach the broker in the order they were asked, whatever order the claims are
 * answered in; a repeat is answered as the first and never sent.
 */
class KeyedPublishOrderTest {

    private static final ChannelRules CHANNELS = ChannelRules.of(List.of("room.*"));

    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CompletableFuture<Boolean>> claims = new ConcurrentHashMap<>();

    private final Broker broker = new Broker() {
        @Override
        public CompletableFuture<Message> publish(Message message, ChannelOptions options) {
            sent.add(message.data());
            return CompletableFuture.completedFuture(message);
        }

        @Override
        public void command(UserCommand command) {
        }

        @Override
        public CompletableFuture<Integer> subscribers(String channel) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public StreamSlice read(String channel, ReadSince read) {
            throw new UnsupportedOperationException();
        }
    };

    private final MessagePublisher publisher = new MessagePublisher(c -> CHANNELS.find(c).orElseThrow(), c -> CHANNELS.find(c).orElseThrow(),
            "test-", broker, NoopMetricRegistry.metrics(), () -> { }, this::claim, new PublishSettings(65536, 300_000));

    private CompletionStage<Boolean> claim(String target, String messageId) {
        return claims.computeIfAbsent(messageId, id -> new CompletableFuture<>());
    }

    private CompletableFuture<Message> publish(String data, String key) {
        return publisher.publish("room.a", Json.createValue(data), Origin.SOCKET, Priority.NORMAL, null, key);
    }

    @Test
    void publishesReachTheBrokerInTheirOrderWhateverOrderTheirClaimsAreAnsweredIn() {
        CompletableFuture<Message> first = publish("1", "k1");
        CompletableFuture<Message> second = publish("2", "k2");
        CompletableFuture<Message> unkeyed = publish("3", null);
        CompletableFuture<Message> fourth = publish("4", "k4");
        assertFalse(first.isDone(), "waits for its claim, without blocking the caller");
        claims.get("key:k4").complete(true);
        claims.get("key:k2").complete(true);
        assertEquals(List.of(), sent, "nothing overtakes the first");
        claims.get("key:k1").complete(true);
        assertEquals(List.of("\"1\"", "\"2\"", "\"3\"", "\"4\""), sent);
        assertTrue(first.isDone() && second.isDone() && unkeyed.isDone() && fourth.isDone());
        publish("5", null);
        assertEquals("\"5\"", sent.get(4), "with nothing waiting, a publish goes at once");
    }

    @Test
    void aRepeatIsAnsweredAsTheFirstAndNotSent() {
        CompletableFuture<Message> repeat = publish("again", "k9");
        claims.get("key:k9").complete(false);
        assertEquals(List.of(), sent);
        assertEquals("key:k9", repeat.join().id());
    }

    @Test
    void aFailedClaimFailsItsPublishAndNotTheNextOnes() {
        CompletableFuture<Message> failed = publish("lost", "k7");
        CompletableFuture<Message> next = publish("next", null);
        claims.get("key:k7").completeExceptionally(new IllegalStateException("owner gone"));
        assertTrue(failed.isCompletedExceptionally());
        assertFalse(next.isCompletedExceptionally(), "the next one is not failed by it");
        assertEquals(List.of("\"next\""), sent);
    }
}
