package io.wscluster.hub;

import io.wscluster.affinity.AffinityService;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.channel.ChannelCatalog;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.message.UserCommand;
import io.wscluster.history.StoredMessage;
import io.wscluster.history.StreamReader;
import io.wscluster.history.StreamSlice;
import io.wscluster.message.Message;
import io.wscluster.metrics.Metrics;
import io.wscluster.presence.ChannelPresence;
import io.wscluster.presence.PresenceEntry;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.registry.ChannelCount;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * This node's connections, indexed by subscribed channel and by user, and the fan-out of every message
 * to the matching ones: a channel's subscribers or a user's connections. The message buses call
 * {@link #deliver} for messages published here and on other nodes alike; each message is encoded once
 * and the same frame is queued to every connection, whose writes run on the {@link WritePool}. Messages
 * of channels that keep history go through the {@link StreamFollower} first (stream order, gaps filled),
 * and a subscriber may resume such a channel from a position. Tells affinity when a user's first
 * connection here opens and its last one closes, and presence when a connection joins or leaves a channel
 * that tracks it.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byChannel = new ConcurrentHashMap<>();

    private final AffinityService affinity;
    private final Metrics metrics;
    private final Function<String, ChannelOptions> channels;
    private final HubSettings settings;
    private final WritePool writers;
    private final StreamFollower streams;
    private final ChannelPresence presence;
    private final Connection.Outcomes outcomes = new Connection.Outcomes() {
        @Override
        public void dropped(Connection connection, String reason) {
            metrics.dropped(reason, 1);
        }

        @Override
        public void givenUp(Connection connection, String reason) {
            metrics.dropped(reason, connection.queuedFrames());
            remove(connection);
        }
    };

    @Inject
    public Hub(AffinityService affinity, Metrics metrics, ChannelCatalog channels, StreamReader history,
            ChannelPresence presence, Schedulers schedulers, Config config) {
        this(affinity, metrics, channels::options, history, presence, HubSettings.from(config), schedulers);
    }

    private Hub(AffinityService affinity, Metrics metrics, Function<String, ChannelOptions> channels, StreamReader history,
            ChannelPresence presence, HubSettings settings, Schedulers schedulers) {
        this(affinity, metrics, channels, history, presence, settings, writePool(settings, schedulers));
        schedulers.shared().scheduleAtFixedRate(writers::sample, 250, 250, TimeUnit.MILLISECONDS);
        schedulers.shared().scheduleWithFixedDelay(() -> streams.fillOldGaps(this::fanOutPositioned),
                settings.streamGapMillis(), settings.streamGapMillis() / 2, TimeUnit.MILLISECONDS);
    }

    /** For tests: the given write pool, stream reader and presence (either may be null), channel options from a function. */
    Hub(AffinityService affinity, Metrics metrics, Function<String, ChannelOptions> channels, StreamReader history,
            ChannelPresence presence, HubSettings settings, WritePool writers) {
        this.affinity = affinity;
        this.metrics = metrics;
        this.channels = channels;
        this.settings = settings;
        this.writers = writers;
        this.streams = history == null ? null : new StreamFollower(history, settings.streamGapMillis(), settings.streamReplayWindow());
        this.presence = presence;
        if (presence != null) {
            presence.onChange(this::presenceChanged);
        }
    }

    /** For CDI proxies only. */
    protected Hub() {
        this(null, null, null, null, null, null, (WritePool) null);
    }

    private static WritePool writePool(HubSettings settings, Schedulers schedulers) {
        ThreadPoolExecutor pool = schedulers.pool("wscluster-writer", settings.writers());
        return new WritePool(pool, pool.getQueue(), settings.overloadLagMillis());
    }

    public HubSettings settings() {
        return settings;
    }

    /** Registers a client connection of {@code user} (null: not known yet, or anonymous) over {@code sink}. */
    public Connection open(FrameSink sink, String user) {
        // A client given up on leaves the fan-out index at once, not when its close handshake ends
        // (a client that reads nothing may never complete it).
        Connection connection = new Connection(sink, user, settings, writers, outcomes);
        all.add(connection);
        if (user != null && addTo(byUser, user, connection)) {
            affinity.connected(user);
        }
        metrics.connectionOpened();
        return connection;
    }

    /** A connection opened without a user proved who it is (its token): from now on it is that user's. */
    public void identify(Connection connection, String user) {
        synchronized (connection) {
            if (connection.user() != null) {
                return;
            }
            connection.identify(user);
        }
        if (all.contains(connection) && addTo(byUser, user, connection)) {
            affinity.connected(user);
        }
    }

    /** The transport closed (the peer's close, or ours completing): forget the connection. */
    public void closed(Connection connection, int closeCode) {
        metrics.connectionClosed(closeCode);
        close(connection, null);
    }

    /** Drops the connection from delivery first, so nothing more is queued to it, then closes it (unless {@code reason} is null). */
    public void close(Connection connection, CloseReason reason) {
        remove(connection);
        if (reason != null) {
            connection.close(reason);
        }
    }

    /**
     * A command of the server API for one user's connections here (the broker brings it to every node):
     * closes them, takes them off a channel or puts them on one (as if they had asked; a refusal such as too
     * many subscriptions leaves that connection as it was), or moves their expiry. Each is told with a frame
     * of its own, {@code "server":true}; a disconnect with its close code.
     */
    public void apply(UserCommand command) {
        for (Connection connection : List.copyOf(byUser.getOrDefault(command.user(), Set.of()))) {
            switch (command.action()) {
                case DISCONNECT -> close(connection, new CloseReason(CloseReason.CloseCodes.getCloseCode(command.closeCode()), command.reason()));
                case UNSUBSCRIBE -> {
                    if (connection.channels().contains(command.channel())) {
                        unsubscribe(connection, command.channel());
                        connection.send(ServerFrames.unsubscribedByServer(command.channel()));
                    }
                }
                case SUBSCRIBE -> subscribeByServer(connection, command);
                case REFRESH -> {
                    connection.expireAt(command.expiresAtMillis());
                    connection.send(ServerFrames.refreshedByServer(command.user(), command.expiresAtMillis()));
                }
            }
        }
    }

    private void subscribeByServer(Connection connection, UserCommand command) {
        String channel = command.channel();
        try {
            subscribe(connection, channel, channels.apply(channel), command.epoch() == null ? null : new Resume(command.epoch(), command.offset()),
                    started -> ServerFrames.subscribedByServer(channel, started.epoch(), started.offset(), started.recovered()));
        } catch (MessageRejectedException e) {
            LOG.fine(() -> "Server-side subscription of " + connection.id() + " to " + channel + " refused: " + e.getMessage());
        }
    }

    /** A position in a channel's stream a subscriber resumes from. */
    public record Resume(String epoch, long offset) {
    }

    /**
     * Where a subscription starts: the channel stream's epoch and the offset after which the client gets
     * messages (null epoch for a channel without history), and whether what it missed since its resume
     * position was replayed (null when it did not ask to resume).
     */
    public record Subscribed(String epoch, long offset, Boolean recovered) {
    }

    /**
     * Subscribes the connection and queues the reply that {@code reply} makes of how the subscription
     * started. On a channel that keeps history, a subscriber that resumes from a position first gets what
     * it missed, and a cache channel hands a new subscriber its latest message; then live messages
     * follow, with no gap and no duplicate at the join. Without history, it is a plain subscription.
     *
     * @param resume where the client stood, or null
     * @throws MessageRejectedException with TOO_MANY_SUBSCRIPTIONS when the connection holds its maximum
     *     already (subscribing again to a channel it holds is not a new subscription)
     */
    public void subscribe(Connection connection, String channel, ChannelOptions options, Resume resume,
            Function<Subscribed, String> reply) {
        boolean fresh = !connection.channels().contains(channel);
        if (fresh && connection.channels().size() >= settings.maxSubscriptions()) {
            throw new MessageRejectedException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + settings.maxSubscriptions() + " subscriptions per connection");
        }
        startSubscription(connection, channel, options, resume, reply);
        if (fresh && options.presence() && presence != null && connection.channels().contains(channel)) {
            presence.joined(channel, connection.id(), connection.user() == null ? "" : connection.user());
        }
    }

    private void startSubscription(Connection connection, String channel, ChannelOptions options, Resume resume,
            Function<Subscribed, String> reply) {
        if (!options.keepsHistory() || streams == null) {
            index(connection, channel);
            connection.send(reply.apply(new Subscribed(null, 0, null)));
            return;
        }
        if (resume == null && !options.cache()) {
            // The reply is queued under the gate's lock, which releases run under: its offset is exactly
            // where live messages start for this client.
            indexFollowing(connection, channel, gate -> {
                String epoch = gate.epoch() == null ? StreamSlice.NOT_STARTED : gate.epoch();
                connection.send(reply.apply(new Subscribed(epoch, gate.released(), null)));
                return null;
            });
            return;
        }
        connection.beginResume(channel);
        if (resume != null) {
            // Live messages wait in the connection meanwhile; the replay ends where they start.
            Replay replay = indexFollowing(connection, channel,
                    gate -> new Replay(gate.epoch(), gate.released(), gate.releasedSince(resume.epoch(), resume.offset(), options.historySize())));
            if (replay.messages() != null) {
                metrics.recovery(true);
                OutboundFrame subscribed = OutboundFrame.reply(reply.apply(new Subscribed(replay.epoch(), replay.offset(), true)));
                connection.finishResume(channel, subscribed, replay.messages().stream().map(this::positioned).toList(),
                        replay.epoch(), replay.offset());
                return;
            }
        } else {
            indexFollowing(connection, channel, gate -> null);
        }
        StreamSlice slice = streams.read(channel, resume == null ? null : resume.offset(), options.historySize());
        boolean recovered = resume == null || slice.continues(resume.epoch(), resume.offset());
        if (resume != null) {
            metrics.recovery(recovered);
        }
        List<Connection.Positioned> replayed = new ArrayList<>();
        if (recovered) {
            for (StoredMessage stored : slice.messages()) {
                replayed.add(positioned(stored.toMessage(channel, slice.epoch())));
            }
        }
        OutboundFrame subscribed = OutboundFrame.reply(reply.apply(new Subscribed(slice.epochOrNotStarted(), slice.offset(),
                resume == null ? null : recovered)));
        connection.finishResume(channel, subscribed, replayed, slice.epochOrNotStarted(), slice.offset());
    }

    /** What a gate released after a resuming client's position (null messages: the stream must be read). */
    private record Replay(String epoch, long offset, List<Message> messages) {
    }

    /**
     * Indexes the connection under the lock of the gate following the channel and reads {@code underLock}
     * from it there. If the last subscriber before it left at the same moment and retired the gate, the
     * next one follows from the stream's head.
     */
    private <T> T indexFollowing(Connection connection, String channel, Function<StreamGate, T> underLock) {
        while (true) {
            StreamGate gate = streams.follow(channel);
            synchronized (gate) {
                index(connection, channel);
                if (streams.follows(channel, gate)) {
                    return underLock.apply(gate);
                }
            }
        }
    }

    /** Idempotent: not subscribed is fine. */
    public void unsubscribe(Connection connection, String channel) {
        if (connection.channels().remove(channel)) {
            removeFrom(byChannel, channel, connection);
            connection.forget(channel);
            leavePresence(channel, connection);
        }
    }

    private void leavePresence(String channel, Connection connection) {
        if (presence != null && channels.apply(channel).presence()) {
            presence.left(channel, connection.id());
        }
    }

    /** Someone joined or left a channel's presence: its subscribers here hear of it if the channel says so. */
    private void presenceChanged(String channel, PresenceEntry entry, boolean joined) {
        Set<Connection> targets = byChannel.getOrDefault(channel, Set.of());
        if (targets.isEmpty() || !channels.apply(channel).joinLeave()) {
            return;
        }
        OutboundFrame frame = OutboundFrame.reply(ServerFrames.presenceChange(channel, entry, joined));
        for (Connection target : targets) {
            target.send(frame);
        }
    }

    private void index(Connection connection, String channel) {
        if (connection.channels().add(channel)) {
            addTo(byChannel, channel, connection);
            // Dropped meanwhile on another thread (slow consumer, idle)? remove() may have missed this channel.
            if (!all.contains(connection)) {
                removeFrom(byChannel, channel, connection);
            }
        }
    }

    /**
     * Queues the message to every matching connection on this node: its frame is encoded once and the
     * same frame goes to each. Never blocks: a slow client fills only its own queue.
     */
    public void deliver(Message message) {
        if (message.positioned() && streams != null) {
            streams.deliver(message, this::fanOutPositioned);
            return;
        }
        Set<Connection> targets = message.isDirect() ? byUser.getOrDefault(message.user(), Set.of())
                : byChannel.getOrDefault(message.channel(), Set.of());
        if (targets.isEmpty()) {
            return;
        }
        ChannelOptions options = message.isDirect() ? ChannelOptions.DEFAULTS : channels.apply(message.channel());
        OutboundFrame frame = OutboundFrame.message(ServerFrames.message(message), message.priority() == Priority.HIGH,
                message.channel(), options.slowConsumer(), message.key(), null, 0);
        int sent = 0;
        for (Connection target : targets) {
            target.send(frame); // never throws, never blocks: one bad client cannot stop the loop
            sent++;
        }
        metrics.delivered(sent, (System.currentTimeMillis() - message.timestamp()) * 1000);
    }

    /** A message of a channel that keeps history, released by its gate in stream order. */
    private void fanOutPositioned(Message message) {
        Set<Connection> targets = byChannel.getOrDefault(message.channel(), Set.of());
        if (targets.isEmpty()) {
            return;
        }
        Connection.Positioned frame = positioned(message);
        int sent = 0;
        for (Connection target : targets) {
            target.send(message.channel(), frame);
            sent++;
        }
        metrics.delivered(sent, (System.currentTimeMillis() - message.timestamp()) * 1000);
    }

    private Connection.Positioned positioned(Message message) {
        ChannelOptions options = channels.apply(message.channel());
        OutboundFrame frame = OutboundFrame.message(ServerFrames.message(message), message.priority() == Priority.HIGH,
                message.channel(), options.slowConsumer(), message.key(), message.epoch(), message.offset());
        return new Connection.Positioned(frame, message.epoch(), message.offset());
    }

    /** A node left: what it acknowledged but had not broadcast is in the streams; deliver it. */
    void onMembershipChange(@Observes(notifyObserver = Reception.IF_EXISTS) MembershipChange change) {
        if (!change.left().isEmpty() && streams != null) {
            streams.catchUpAll(this::fanOutPositioned);
        }
    }

    /** Channels with history this node follows (they have local subscribers). */
    public int followedStreams() {
        return streams == null ? 0 : streams.followed();
    }

    /** How late this node's writes start, in milliseconds: its delivery lag. */
    public long lagMillis() {
        return writers.lagMillis();
    }

    /** Whether this node is behind for everybody (see {@link WritePool}). */
    public boolean overloaded() {
        return writers.overloaded();
    }

    /** A copy of the open connections, for walking them while they close. */
    public List<Connection> snapshot() {
        return List.copyOf(all);
    }

    public boolean isOpen(Connection connection) {
        return all.contains(connection);
    }

    /** The users with a connection here, each with when its newest connection here became the user's (epoch millis). */
    public Map<String, Long> users() {
        Map<String, Long> users = new HashMap<>();
        byUser.forEach((user, connections) -> connections.stream().mapToLong(Connection::userSinceMillis).max()
                .ifPresent(since -> users.put(user, since)));
        return users;
    }

    public Set<Connection> connectionsOf(String user) {
        return byUser.getOrDefault(user, Set.of());
    }

    public int connections() {
        return all.size();
    }

    public int subscriptions() {
        return byChannel.values().stream().mapToInt(Set::size).sum();
    }

    /** Channels with at least one subscriber here. */
    public int activeChannels() {
        return byChannel.size();
    }

    /** Frames waiting in outbound queues. */
    public long queuedFrames() {
        long queued = 0;
        for (Connection connection : all) {
            queued += connection.queuedFrames();
        }
        return queued;
    }

    /** The {@code limit} channels with the most subscribers here. */
    public List<ChannelCount> topChannels(int limit) {
        return byChannel.entrySet().stream()
                .map(e -> new ChannelCount(e.getKey(), e.getValue().size()))
                .sorted(Comparator.comparingInt(ChannelCount::subscribers).reversed().thenComparing(ChannelCount::name))
                .limit(limit).toList();
    }

    /** The connections subscribed to the channel on this node. */
    public int localSubscribers(String channel) {
        return byChannel.getOrDefault(channel, Set.of()).size();
    }

    /** Active channels on this node with their local subscriber counts. */
    public Map<String, Integer> localSubscriberCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        byChannel.forEach((channel, subscribers) -> counts.put(channel, subscribers.size()));
        return Collections.unmodifiableMap(counts);
    }

    @PreDestroy
    void closeAll() {
        LOG.info(() -> "Closing " + all.size() + " connections: node shutting down");
        CloseReason reason = CloseCodes.goingAway();
        for (Connection connection : all) {
            connection.close(reason);
        }
    }

    private void remove(Connection connection) {
        if (!all.remove(connection)) {
            return;
        }
        String user = connection.user();
        if (user != null && removeFrom(byUser, user, connection)) {
            affinity.disconnected(user);
        }
        for (String channel : connection.channels()) {
            removeFrom(byChannel, channel, connection);
            leavePresence(channel, connection);
        }
        connection.channels().clear();
    }

    // compute/computeIfPresent make "add to a set, creating it" and "remove, dropping it when empty"
    // atomic with respect to each other, so a concurrent subscribe never lands in a discarded set.
    /** @return whether the key had no connections before */
    private static boolean addTo(Map<String, Set<Connection>> index, String key, Connection connection) {
        boolean[] first = {false};
        index.compute(key, (k, set) -> {
            Set<Connection> target = set != null ? set : ConcurrentHashMap.newKeySet();
            first[0] = target.isEmpty();
            target.add(connection);
            return target;
        });
        return first[0];
    }

    /** @return whether the key has no connections left */
    private boolean removeFrom(Map<String, Set<Connection>> index, String key, Connection connection) {
        boolean[] last = {false};
        index.computeIfPresent(key, (k, set) -> {
            last[0] = set.remove(connection) && set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        if (last[0] && index == byChannel && streams != null) {
            streams.unfollow(key, byChannel::containsKey);
        }
        return last[0];
    }
}
