package io.wscluster.hub;

import io.wscluster.affinity.AffinityService;
import io.wscluster.affinity.UserAffinity;
import io.wscluster.api.Priority;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.broker.MemoryBroker;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.channel.ChannelRules;
import io.wscluster.history.MemoryStreams;
import io.wscluster.message.Message;
import io.wscluster.message.UserCommand;
import io.wscluster.message.Origin;
import io.wscluster.metrics.NoopMetricRegistry;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.publish.MessagePublisher;
import io.wscluster.publish.PublishSettings;
import io.wscluster.registry.NodeInfo;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.infinispan.Cache;

/**
 * The delivery contract against one hub behind the real publisher and the memory broker, with fake sessions:
 * runs in milliseconds.
 */
class HubDeliveryTest extends DeliveryContract {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Override
    protected Fixture createFixture() {
        return new LocalFixture();
    }

    /** One node: a real hub behind the local bus; clients are fake sessions that record what is written to them. */
    static final class LocalFixture implements Fixture {
        private static final int QUEUE = 16;
        private static final ChannelRules CHANNELS = ChannelRules.of(
                List.of("room.*", "hist.*{history=100}", "tiny.*{history=3}", "last.*{history=10;cache}"));
        private final MemoryStreams streams = new MemoryStreams();
        private final Hub hub = new Hub(new NoAffinity(), NoopMetricRegistry.metrics(), LocalFixture::options,
                streams, null, HubSettings.forTests(QUEUE), WritePool.direct());
        private final MemoryBroker broker = new MemoryBroker(streams, hub);
        private final java.util.Set<String> keyed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final MessagePublisher publisher = new MessagePublisher(LocalFixture::known, LocalFixture::options, "test-", broker,
                NoopMetricRegistry.metrics(), () -> { }, (target, id) -> java.util.concurrent.CompletableFuture.completedFuture(keyed.add(target + ' ' + id)), new PublishSettings(65536, 300_000));
        private final AtomicLong ids = new AtomicLong();

        private static ChannelOptions options(String channel) {
            return CHANNELS.find(channel).orElseThrow();
        }

        private static ChannelOptions known(String channel) {
            return CHANNELS.find(channel).orElseThrow(() -> new MessageRejectedException(ErrorCode.UNKNOWN_CHANNEL, channel));
        }

        @Override
        public int nodes() {
            return 1;
        }

        @Override
        public Client connect(int node, String user) {
            return connect(user, true);
        }

        /** A client that answers the server's pings, or one that does not (its peer is gone). */
        Client connect(String user, boolean answersPings) {
            FakeSession session = new FakeSession("s" + ids.incrementAndGet(), answersPings);
            session.connection = hub.open(session, user);
            return session;
        }

        Hub hub() {
            return hub;
        }

        @Override
        public String publish(int node, String channel, String json, Priority priority) {
            return publisher.publish(channel, json, Origin.REST, priority, null).id();
        }

        @Override
        public String sendToUser(int node, String user, String json) {
            return publisher.sendToUser(user, json, Origin.REST, Priority.NORMAL).id();
        }

        @Override
        public void unsubscribeUser(int node, String user, String channel) {
            broker.command(UserCommand.unsubscribe(user, channel));
        }

        @Override
        public void subscribeUser(int node, String user, String channel) {
            broker.command(UserCommand.subscribe(user, channel, null, 0));
        }

        @Override
        public void disconnectUser(int node, String user, int code) {
            broker.command(UserCommand.disconnect(user, code, "bye"));
        }

        @Override
        public int[] backlog() {
            return new int[] {QUEUE / 2, 10};
        }

        @Override
        public Duration patience() {
            return Duration.ofSeconds(2);
        }

        @Override
        public void close() {
        }

        /** A session whose writes complete at once, or wait while it is stalled. */
        final class FakeSession implements FrameSink, Client {
            private final String id;
            private final boolean answersPings;
            private final List<JsonObject> messages = new ArrayList<>();
            private final List<JsonObject> replies = new ArrayList<>();
            private final List<Runnable> waiting = new ArrayList<>();
            private Connection connection;
            private boolean stalled;
            private Integer closeCode;

            FakeSession(String id, boolean answersPings) {
                this.id = id;
                this.answersPings = answersPings;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public synchronized void write(List<OutboundFrame> frames, Consumer<Throwable> done) {
                Runnable write = () -> {
                    for (OutboundFrame frame : frames) {
                        JsonObject parsed = JSON.createReader(new StringReader(frame.text())).readObject();
                        ("message".equals(parsed.getString("type")) ? messages : replies).add(parsed);
                    }
                    done.accept(null);
                };
                if (stalled) {
                    waiting.add(write);
                } else {
                    write.run();
                }
            }

            @Override
            public void ping() {
                if (answersPings) {
                    connection.heard(); // as the endpoint does on the pong
                }
            }

            @Override
            public synchronized void close(CloseReason reason) {
                closeCode = reason.getCloseCode().getCode();
            }

            @Override
            public void subscribe(String channel) {
                subscribe(channel, null);
            }

            @Override
            public void subscribe(String channel, String epoch, long offset) {
                subscribe(channel, new Hub.Resume(epoch, offset));
            }

            private void subscribe(String channel, Hub.Resume resume) {
                hub.subscribe(connection, channel, options(channel), resume,
                        started -> ServerFrames.subscribed(channel, null, started.epoch(), started.offset(), started.recovered()));
            }

            @Override
            public synchronized List<JsonObject> messages() {
                return List.copyOf(messages);
            }

            @Override
            public synchronized List<JsonObject> replies() {
                return List.copyOf(replies);
            }

            @Override
            public synchronized void stall() {
                stalled = true;
            }

            @Override
            public void resume() {
                List<Runnable> backlog;
                synchronized (this) {
                    stalled = false;
                    backlog = List.copyOf(waiting);
                    waiting.clear();
                }
                backlog.forEach(Runnable::run);
            }

            @Override
            public void awaitServerBacklog(int frames) {
                if (connection.queuedFrames() < frames) {
                    throw new AssertionError("queued " + connection.queuedFrames() + " of " + frames);
                }
            }

            @Override
            public synchronized OptionalInt closeCode() {
                return closeCode == null ? OptionalInt.empty() : OptionalInt.of(closeCode);
            }

            @Override
            public void close() {
                hub.closed(connection, 1000);
            }
        }
    }

    /** Affinity does not matter to delivery. */
    static final class NoAffinity implements AffinityService {
        @Override
        public void connected(String user) {
        }

        @Override
        public void disconnected(String user) {
        }

        @Override
        public Optional<UserAffinity> lookup(String user) {
            return Optional.empty();
        }

        @Override
        public Optional<NodeInfo> choose(String user) {
            return Optional.empty();
        }

        @Override
        public void moveTo(String user, String nodeId) {
        }

        @Override
        public void releaseNode(String nodeId) {
        }

        @Override
        public void reconcile(java.util.Map<String, Long> usersHere) {
        }

        @Override
        public void reassert(java.util.Map<String, Long> usersHere) {
        }

        @Override
        public String strategy() {
            return "none";
        }

        @Override
        public Cache<String, UserAffinity> cache() {
            throw new UnsupportedOperationException();
        }
    }
}
