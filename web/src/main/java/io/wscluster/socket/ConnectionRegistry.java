package io.wscluster.socket;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/** This node's open connections, indexed by user and by subscribed channel. */
@ApplicationScoped
public class ConnectionRegistry {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class.getName());

    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byChannel = new ConcurrentHashMap<>();

    void add(Connection connection) {
        all.add(connection);
        addTo(byUser, connection.user(), connection);
    }

    void remove(Connection connection) {
        if (!all.remove(connection)) {
            return;
        }
        removeFrom(byUser, connection.user(), connection);
        for (String channel : connection.channels()) {
            removeFrom(byChannel, channel, connection);
        }
        connection.channels().clear();
    }

    void subscribe(Connection connection, String channel) {
        if (connection.channels().add(channel)) {
            addTo(byChannel, channel, connection);
        }
    }

    void unsubscribe(Connection connection, String channel) {
        if (connection.channels().remove(channel)) {
            removeFrom(byChannel, channel, connection);
        }
    }

    Set<Connection> subscribersOf(String channel) {
        return byChannel.getOrDefault(channel, Set.of());
    }

    Set<Connection> connectionsOf(String user) {
        return byUser.getOrDefault(user, Set.of());
    }

    public int connectionCount() {
        return all.size();
    }

    public int subscriptionCount() {
        return byChannel.values().stream().mapToInt(Set::size).sum();
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
        CloseReason reason = new CloseReason(Closes.GOING_AWAY, "node shutting down");
        for (Connection connection : all) {
            connection.close(reason);
        }
    }

    // compute/computeIfPresent make "add to a set, creating it" and "remove, dropping it when empty"
    // atomic with respect to each other, so a concurrent subscribe never lands in a discarded set.
    private static void addTo(Map<String, Set<Connection>> index, String key, Connection connection) {
        index.compute(key, (k, set) -> {
            Set<Connection> target = set != null ? set : ConcurrentHashMap.newKeySet();
            target.add(connection);
            return target;
        });
    }

    private static void removeFrom(Map<String, Set<Connection>> index, String key, Connection connection) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }
}
