package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.Priority;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What delivery promises, whatever carries the messages: one suite run against the hub with the
 * local-only bus and fake sessions (in milliseconds), and against a real cluster over the clustered bus
 * (the integration tests), the way Phoenix.PubSub runs one suite against every adapter.
 */
public abstract class DeliveryContract {

    /** One client connection as the suite sees it. */
    public interface Client extends AutoCloseable {
        void subscribe(String channel);

        /** Subscribes resuming from a position: the stream's epoch and the last offset the client had. */
        void subscribe(String channel, String epoch, long offset);

        /** The replies received so far (subscribed and the like), in order of arrival. */
        List<JsonObject> replies();

        /** The message frames received so far, in order of arrival. */
        List<JsonObject> messages();

        /** Stops reading: frames back up on the server. */
        void stall();

        /** Reads again. */
        void resume();

        /** Waits until the server holds at least {@code frames} frames queued for this client (it is stalled). */
        void awaitServerBacklog(int frames);

        /** The close code, once the server has closed the connection. */
        OptionalInt closeCode();

        @Override
        void close();
    }

    /**
     * The system under test: some nodes, clients on them, publishing through them. Its channels: {@code
     * room.*} keep no history; {@code hist.*} keep 100 messages, {@code tiny.*} 3; {@code last.*} keep 10
     * and hand a new subscriber the latest (cache mode).
     */
    public interface Fixture extends AutoCloseable {
        int nodes();

        Client connect(int node, String user);

        /** Publishes JSON text to a channel through a node; returns the message id. */
        String publish(int node, String channel, String json, Priority priority);

        /** Sends JSON text to every connection of a user, through a node; returns the message id. */
        String sendToUser(int node, String user, String json);

        /** The server API, called on a node: takes every connection of the user off the channel. */
        void unsubscribeUser(int node, String user, String channel);

        /** The server API, called on a node: puts every connection of the user on the channel. */
        void subscribeUser(int node, String user, String channel);

        /** The server API, called on a node: closes every connection of the user with the code. */
        void disconnectUser(int node, String user, int code);

        /**
         * How many messages of how many bytes it takes before a stalled client's frames queue on the
         * server rather than in the transport (socket buffers hold megabytes on a real network stack).
         */
        int[] backlog();

        Duration patience();

        @Override
        void close();
    }

    protected abstract Fixture createFixture();

    private Fixture fixture;
    private final List<Client> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = createFixture();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(Client::close);
        fixture.close();
    }

    private Client connect(int node, String user, String... channels) {
        Client client = fixture.connect(node % fixture.nodes(), user);
        clients.add(client);
        for (String channel : channels) {
            client.subscribe(channel);
        }
        return client;
    }

    @Test
    void onePublishersMessagesArriveCompleteAndInOrderOnEveryNode() {
        List<Client> subscribers = new ArrayList<>();
        for (int node = 0; node < fixture.nodes(); node++) {
            subscribers.add(connect(node, "reader" + node, "room.order"));
        }
        int count = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(fixture.publish(0, "room.order", Integer.toString(i), Priority.NORMAL));
        }
        for (Client subscriber : subscribers) {
            awaitUntil(() -> subscriber.messages().size() >= count, () -> subscriber.messages().size() + " of " + count);
            assertEquals(ids, subscriber.messages().stream().map(m -> m.getString("id")).toList(), "complete, in order, once");
        }
    }

    @Test
    void theServerTakesAUserOffAChannelWhereverItsConnectionsAre() {
        Client phone = connect(1, "frank", "room.api", "room.api-after");
        Client laptop = connect(fixture.nodes() - 1, "frank", "room.api", "room.api-after");
        Client other = connect(0, "gina", "room.api");
        fixture.unsubscribeUser(0, "frank", "room.api");
        for (Client frank : List.of(phone, laptop)) {
            awaitUntil(() -> frank.replies().stream().anyMatch(r -> "unsubscribed".equals(r.getString("type"))
                    && r.getBoolean("server", false)), () -> "replies " + frank.replies());
        }
        String id = fixture.publish(0, "room.api", "\"after\"", Priority.NORMAL);
        // Published after it from the same node, so it arrives after it would have.
        String marker = fixture.publish(0, "room.api-after", "\"marker\"", Priority.NORMAL);
        awaitUntil(() -> ids(other).contains(id) && ids(phone).contains(marker) && ids(laptop).contains(marker),
                () -> "gina " + ids(other) + ", phone " + ids(phone) + ", laptop " + ids(laptop));
        assertFalse(ids(phone).contains(id) || ids(laptop).contains(id), "off the channel, nothing more from it");
    }

    @Test
    void theServerPutsAUserOnAChannelAsIfItHadAsked() {
        Client hana = connect(fixture.nodes() - 1, "hana");
        fixture.subscribeUser(0, "hana", "room.invited");
        awaitUntil(() -> hana.replies().stream().anyMatch(r -> "subscribed".equals(r.getString("type"))
                && "room.invited".equals(r.getString("channel")) && r.getBoolean("server", false)), () -> "replies " + hana.replies());
        String id = fixture.publish(0, "room.invited", "\"welcome\"", Priority.NORMAL);
        awaitUntil(() -> ids(hana).contains(id), () -> "hana " + ids(hana));
    }

    @Test
    void theServerDisconnectsAUserEverywhereWithItsCode() {
        Client phone = connect(0, "ivan", "room.bye");
        Client laptop = connect(fixture.nodes() - 1, "ivan");
        Client other = connect(1, "jana", "room.bye");
        fixture.disconnectUser(1 % fixture.nodes(), "ivan", 4101);
        awaitUntil(() -> phone.closeCode().isPresent() && laptop.closeCode().isPresent(), () -> "ivan still open");
        assertEquals(4101, phone.closeCode().getAsInt());
        assertEquals(4101, laptop.closeCode().getAsInt());
        String id = fixture.publish(0, "room.bye", "\"still here\"", Priority.NORMAL);
        awaitUntil(() -> ids(other).contains(id), () -> "jana " + ids(other));
        assertTrue(other.closeCode().isEmpty());
    }

    @Test
    void aMessageReachesItsChannelsSubscribersAndNobodyElse() {
        Client inside = connect(0, "inside", "room.fan");
        Client remote = connect(1, "remote", "room.fan");
        Client outside = connect(1, "outside", "room.other");
        String id = fixture.publish(0, "room.fan", "{\"n\":1}", Priority.NORMAL);
        // A later message from the same node reaches the outsider after the first one would have.
        String marker = fixture.publish(0, "room.other", "\"marker\"", Priority.NORMAL);
        awaitUntil(() -> ids(inside).contains(id) && ids(remote).contains(id) && ids(outside).contains(marker),
                () -> "inside " + ids(inside) + ", remote " + ids(remote) + ", outside " + ids(outside));
        assertEquals(1, inside.messages().get(0).getJsonObject("data").getInt("n"));
        assertEquals("room.fan", remote.messages().get(0).getString("channel"));
        assertFalse(ids(outside).contains(id), "not subscribed, not delivered");
        assertFalse(ids(inside).contains(marker));
    }

    @Test
    void aUserMessageReachesEveryConnectionOfThatUserOnly() {
        Client phone = connect(0, "dora");
        Client laptop = connect(1, "dora");
        Client other = connect(1, "eve");
        String id = fixture.sendToUser(0, "dora", "\"for dora\"");
        String marker = fixture.sendToUser(0, "eve", "\"for eve\"");
        awaitUntil(() -> ids(phone).contains(id) && ids(laptop).contains(id) && ids(other).contains(marker),
                () -> "phone " + ids(phone) + ", laptop " + ids(laptop) + ", eve " + ids(other));
        assertEquals("dora", laptop.messages().get(0).getString("to"));
        assertFalse(ids(other).contains(id));
    }

    @Test
    void aSubscriberThatStopsReadingHoldsNobodyElseBack() {
        Client stalled = connect(1, "stalled", "room.slow");
        Client healthy = connect(1, "healthy", "room.slow");
        Client elsewhere = connect(0, "elsewhere", "room.slow");
        stalled.stall();
        int[] backlog = fixture.backlog();
        String payload = "\"" + "x".repeat(backlog[1]) + "\"";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < backlog[0] * 2; i++) {
            ids.add(fixture.publish(0, "room.slow", payload, Priority.NORMAL));
        }
        for (Client reader : List.of(healthy, elsewhere)) {
            awaitUntil(() -> reader.messages().size() >= ids.size(), () -> reader.messages().size() + " of " + ids.size());
            assertEquals(ids, ids(reader));
        }
        stalled.resume();
        // Given up on (4001), or, had its queue held out, every message in order: never a gap.
        awaitUntil(() -> stalled.closeCode().isPresent() || stalled.messages().size() >= ids.size(),
                () -> "stalled: " + stalled.messages().size() + " of " + ids.size() + ", close " + stalled.closeCode());
        if (stalled.closeCode().isPresent()) {
            assertEquals(4001, stalled.closeCode().getAsInt());
            List<String> got = ids(stalled);
            assertEquals(ids.subList(0, got.size()), got, "what arrived before the close is a prefix");
        } else {
            assertEquals(ids, ids(stalled));
        }
    }

    @Test
    void aHighPriorityMessageOvertakesNormalOnesQueuedForASlowReader() {
        Client reader = connect(1, "reader", "room.prio");
        reader.stall();
        int[] backlog = fixture.backlog();
        String payload = "\"" + "x".repeat(backlog[1]) + "\"";
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < backlog[0]; i++) {
            normal.add(fixture.publish(0, "room.prio", payload, Priority.NORMAL));
        }
        reader.awaitServerBacklog(2);
        String urgent = fixture.publish(0, "room.prio", "\"urgent\"", Priority.HIGH);
        reader.resume();
        awaitUntil(() -> reader.messages().size() >= normal.size() + 1, () -> reader.messages().size() + " of " + (normal.size() + 1));
        List<String> got = ids(reader);
        assertTrue(got.indexOf(urgent) < got.indexOf(normal.get(normal.size() - 1)),
                "the urgent message came before the last normal one queued ahead of it");
        List<String> normalOnly = new ArrayList<>(got);
        normalOnly.remove(urgent);
        assertEquals(normal, normalOnly, "normal messages keep their order");
    }

    @Test
    void aSubscriberArrivingAsTheLastOneLeavesMissesNothingThatFollows() throws Exception {
        // A node stops following a channel's stream when its last subscriber leaves; one subscribing at that
        // very moment must not be left indexed on a stream nobody follows (its messages silently dropped).
        int rounds = fixture.nodes() == 1 ? 2_000 : 20;
        for (int round = 0; round < rounds; round++) {
            String channel = "hist.turnover" + round;
            Client leaving = connect(0, "leaving" + round, channel);
            Client arriving = fixture.connect(0, "arriving" + round);
            clients.add(arriving);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            Thread leave = new Thread(() -> {
                await(start);
                leaving.close();
            });
            leave.start();
            await(start);
            arriving.subscribe(channel);
            leave.join();
            String id = fixture.publish(0, channel, "1", Priority.NORMAL);
            int r = round;
            awaitUntil(() -> ids(arriving).contains(id), () -> "round " + r + ": the arriving subscriber got " + ids(arriving));
            arriving.close();
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aResumingSubscriberGetsWhatItMissedOnceAndInOrderThenLive() {
        Client first = connect(0, "mover", "hist.resume");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.resume", Integer.toString(i), Priority.NORMAL));
        }
        awaitUntil(() -> first.messages().size() >= 6, () -> first.messages().size() + " of 6");
        JsonObject last = first.messages().get(5);
        first.close();
        for (int i = 6; i < 12; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.resume", Integer.toString(i), Priority.NORMAL));
        }
        Client again = connect(1, "mover");
        again.subscribe("hist.resume", last.getString("epoch"), offset(last));
        for (int i = 12; i < 18; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.resume", Integer.toString(i), Priority.NORMAL));
        }
        awaitUntil(() -> again.messages().size() >= 12, () -> again.messages().size() + " of 12: " + ids(again));
        assertEquals(ids.subList(6, 18), ids(again), "what it missed, then live: each once, in order");
        assertTrue(subscribed(again).getBoolean("recovered"));
        List<Long> offsets = again.messages().stream().map(DeliveryContract::offset).toList();
        for (int i = 0; i < offsets.size(); i++) {
            assertEquals(offset(last) + 1 + i, offsets.get(i), "offsets follow on from the position: " + offsets);
        }
    }

    @Test
    void aClientResumingOnANodeThatFollowsTheChannelGetsWhatItsSubscribersGot() {
        Client stays = connect(0, "stays", "hist.follow");
        Client first = connect(0, "mover", "hist.follow");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.follow", Integer.toString(i), Priority.NORMAL));
        }
        awaitUntil(() -> first.messages().size() >= 4, () -> first.messages().size() + " of 4");
        JsonObject last = first.messages().get(3);
        first.close();
        for (int i = 4; i < 8; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.follow", Integer.toString(i), Priority.NORMAL));
        }
        awaitUntil(() -> stays.messages().size() >= 8, () -> stays.messages().size() + " of 8");
        Client again = connect(0, "mover");
        again.subscribe("hist.follow", last.getString("epoch"), offset(last));
        ids.add(fixture.publish(0, "hist.follow", "8", Priority.NORMAL));
        awaitUntil(() -> again.messages().size() >= 5, () -> ids(again).toString());
        assertEquals(ids.subList(4, 9), ids(again), "what it missed, then live: each once, in order");
        assertTrue(subscribed(again).getBoolean("recovered"));
    }

    @Test
    void aSubscriberFromBeforeAChannelsFirstMessageResumesFromItsStart() {
        Client early = connect(0, "early", "hist.fresh");
        JsonObject started = subscribed(early);
        assertEquals("", started.getString("epoch"), "no stream yet: " + started);
        assertEquals(0, offset(started));
        early.close();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.fresh", Integer.toString(i), Priority.NORMAL));
        }
        Client again = connect(1, "early");
        again.subscribe("hist.fresh", "", 0);
        awaitUntil(() -> again.messages().size() >= 3, () -> ids(again).toString());
        assertTrue(subscribed(again).getBoolean("recovered"));
        assertEquals(ids, ids(again));
    }

    @Test
    void aPositionOutsideTheWindowOrFromAnotherEpochIsNotRecovered() {
        Client first = connect(0, "late", "tiny.gap");
        fixture.publish(0, "tiny.gap", "0", Priority.NORMAL);
        awaitUntil(() -> first.messages().size() >= 1, () -> "nothing yet");
        JsonObject seen = first.messages().get(0);
        first.close();
        for (int i = 1; i <= 5; i++) {
            fixture.publish(i % fixture.nodes(), "tiny.gap", Integer.toString(i), Priority.NORMAL);
        }
        Client tooLate = connect(1, "late");
        tooLate.subscribe("tiny.gap", seen.getString("epoch"), offset(seen));
        Client otherEpoch = connect(0, "late");
        otherEpoch.subscribe("tiny.gap", "not-" + seen.getString("epoch"), 5);
        awaitUntil(() -> subscribed(tooLate) != null && subscribed(otherEpoch) != null, () -> "no subscribed reply");
        String live = fixture.publish(0, "tiny.gap", "\"live\"", Priority.NORMAL);
        for (Client client : List.of(tooLate, otherEpoch)) {
            awaitUntil(() -> ids(client).contains(live), () -> ids(client).toString());
            assertFalse(subscribed(client).getBoolean("recovered"), "messages were lost to it: it must reload its state");
            assertEquals(List.of(live), ids(client), "no partial replay; live messages follow");
        }
    }

    @Test
    void aCacheChannelHandsANewSubscriberItsLatestMessage() {
        fixture.publish(0, "last.price", "1", Priority.NORMAL);
        String latest = fixture.publish(fixture.nodes() - 1, "last.price", "2", Priority.NORMAL);
        Client client = connect(fixture.nodes() - 1, "viewer", "last.price");
        awaitUntil(() -> !client.messages().isEmpty(), () -> "no latest message");
        String next = fixture.publish(0, "last.price", "3", Priority.NORMAL);
        awaitUntil(() -> client.messages().size() >= 2, () -> ids(client).toString());
        assertEquals(List.of(latest, next), ids(client));
    }

    @Test
    void aChannelsPositionsFormOneSequenceWhicheverNodePublishes() {
        List<Client> subscribers = new ArrayList<>();
        for (int node = 0; node < fixture.nodes(); node++) {
            subscribers.add(connect(node, "seq" + node, "hist.seq"));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(fixture.publish(i % fixture.nodes(), "hist.seq", Integer.toString(i), Priority.NORMAL));
        }
        for (Client subscriber : subscribers) {
            awaitUntil(() -> subscriber.messages().size() >= ids.size(), () -> subscriber.messages().size() + " of " + ids.size());
            assertEquals(ids, ids(subscriber));
            List<JsonObject> got = subscriber.messages();
            for (int i = 1; i < got.size(); i++) {
                assertEquals(offset(got.get(i - 1)) + 1, offset(got.get(i)), "consecutive offsets");
                assertEquals(got.get(0).getString("epoch"), got.get(i).getString("epoch"));
            }
        }
    }

    private static long offset(JsonObject message) {
        return message.getJsonNumber("offset").longValue();
    }

    private static JsonObject subscribed(Client client) {
        return client.replies().stream().filter(r -> "subscribed".equals(r.getString("type"))).findFirst().orElse(null);
    }

    private static List<String> ids(Client client) {
        return client.messages().stream().map(m -> m.getString("id")).toList();
    }

    private void awaitUntil(BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + fixture.patience().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + fixture.patience() + ": " + state.get());
            }
            try {
                Thread.sleep(5); // polling a condition, not waiting for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
