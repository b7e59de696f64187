package io.wscluster.socket;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import io.wscluster.affinity.AffinityService;
import io.wscluster.registry.ChannelCount;
import io.wscluster.registry.LocalLoad;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/** This node's open connections, indexed by user and by subscribed channel; tells affinity when a user arrives or leaves. */
@ApplicationScoped
public class ConnectionRegistry implements LocalLoad {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());

    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byChannel = new ConcurrentHashMap<>();

    @Inject
    AffinityService affinity;

    @Inject
    SocketSettings settings;

    /** Threads with the application's context, created once (see ClusterBus for why not a managed scheduler). */
    @Resource
    ManagedThreadFactory threadFactory;

    private ScheduledExecutorService sweeper;

    @PostConstruct
    void startIdleSweep() {
        long timeout = settings.idleTimeoutMillis();
        if (timeout <= 0) {
            return;
        }
        long every = Math.max(250, Math.min(5_000, timeout / 4));
        sweeper = Executors.newSingleThreadScheduledExecutor(threadFactory);
        sweeper.scheduleWithFixedDelay(() -> closeIdle(TimeUnit.MILLISECONDS.toNanos(timeout)), every, every, TimeUnit.MILLISECONDS);
    }

    /** Closes connections that sent nothing for longer than the idle timeout (dead peers, forgotten tabs). */
    void closeIdle(long timeoutNanos) {
        long now = System.nanoTime();
        CloseReason reason = new CloseReason(Closes.IDLE_TIMEOUT, "idle timeout: send a ping at least every "
                + settings.idleTimeoutMillis() / 1000 + " s");
        for (Connection connection : all) {
            if (connection.silentNanos(now) > timeoutNanos) {
                LOG.fine(() -> "Closing idle connection " + connection.id());
                removeAndClose(connection, reason);
            }
        }
    }

    void add(Connection connection) {
        all.add(connection);
        if (addTo(byUser, connection.user(), connection)) {
            affinity.connected(connection.user());
        }
    }

    void remove(Connection connection) {
        if (!all.remove(connection)) {
            return;
        }
        if (removeFrom(byUser, connection.user(), connection)) {
            affinity.disconnected(connection.user());
        }
        for (String channel : connection.channels()) {
            removeFrom(byChannel, channel, connection);
        }
        connection.channels().clear();
    }

    /** Drops the connection from delivery first, so nothing more is queued to it, then closes it. */
    void removeAndClose(Connection connection, CloseReason reason) {
        remove(connection);
        connection.close(reason);
    }

    void subscribe(Connection connection, String channel) {
        if (connection.channels().add(channel)) {
            addTo(byChannel, channel, connection);
            // Dropped meanwhile on another thread (slow consumer, idle)? remove() may have missed this channel.
            if (!all.contains(connection)) {
                removeFrom(byChannel, channel, connection);
            }
        }
    }

    void unsubscribe(Connection connection, String channel) {
        if (connection.channels().remove(channel)) {
            removeFrom(byChannel, channel, connection);
        }
    }

    /** A copy of the open connections, for walking them while they close. */
    List<Connection> snapshot() {
        return List.copyOf(all);
    }

    Set<Connection> subscribersOf(String channel) {
        return byChannel.getOrDefault(channel, Set.of());
    }

    Set<Connection> connectionsOf(String user) {
        return byUser.getOrDefault(user, Set.of());
    }

    @Override
    public int connections() {
        return all.size();
    }

    @Override
    public int subscriptions() {
        return byChannel.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public int activeChannels() {
        return byChannel.size();
    }

    @Override
    public long queuedFrames() {
        long queued = 0;
        for (Connection connection : all) {
            queued += connection.queuedFrames();
        }
        return queued;
    }

    @Override
    public List<ChannelCount> topChannels(int limit) {
        return byChannel.entrySet().stream()
                .map(e -> new ChannelCount(e.getKey(), e.getValue().size()))
                .sorted(Comparator.comparingInt(ChannelCount::subscribers).reversed().thenComparing(ChannelCount::name))
                .limit(limit).toList();
    }

    /** Active channels on this node with their local subscriber counts. */
    public Map<String, Integer> localSubscriberCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        byChannel.forEach((channel, subscribers) -> counts.put(channel, subscribers.size()));
        return Collections.unmodifiableMap(counts);
    }

    @PreDestroy
    void closeAll() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        LOG.info(() -> "Closing " + all.size() + " connections: node shutting down");
        CloseReason reason = new CloseReason(Closes.GOING_AWAY, "node shutting down");
        for (Connection connection : all) {
            connection.close(reason);
        }
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
    private static boolean removeFrom(Map<String, Set<Connection>> index, String key, Connection connection) {
        boolean[] last = {false};
        index.computeIfPresent(key, (k, set) -> {
            last[0] = set.remove(connection) && set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0];
    }
}
