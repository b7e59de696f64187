package io.wscluster.presence;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelOptions;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.registry.LocalNode;
import io.wscluster.schedule.CoalescedTask;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Who is subscribed to the channels that track presence, across the cluster: the replicated {@code
 * presence} cache ("channel connection" -> {@link PresenceEntry}), mirrored on every node by channel, so
 * reads are local. Joins and leaves are written in batches every {@value #BATCH_MILLIS} ms. The entries of
 * a node that leaves the view (a crash is seen in about half a second) are dropped from every node's
 * mirror at once, and from the cache by the coordinator.
 */
@ApplicationScoped
public class ChannelPresence {

    private static final Logger LOG = Logger.getLogger(ChannelPresence.class.getName());
    static final String CACHE = "presence";
    static final long BATCH_MILLIS = 20;
    /** How long after a merge the views and state transfer are taken to have settled. */
    static final long MERGE_SETTLE_MILLIS = 2_000;
    /** Marks a pending leave. */
    private static final PresenceEntry GONE = new PresenceEntry("", "", "", -1);

    /** A connection joined or left a channel's presence, here or on another node. */
    public interface ChangeListener {
        void changed(String channel, PresenceEntry entry, boolean joined);
    }

    /** A channel's presence as read on this node. */
    public record Snapshot(List<PresenceEntry> entries, boolean complete) {
        public long users() {
            return entries.stream().map(PresenceEntry::user).distinct().count();
        }
    }

    @Inject
    ClusterCaches caches;

    @Inject
    LocalNode node;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private PresenceSettings settings;
    private final Map<String, Map<String, PresenceEntry>> byChannel = new ConcurrentHashMap<>();
    private final Map<String, PresenceEntry> pending = new ConcurrentHashMap<>();
    /** This node's own entries: written again after a merge, in case the other side dropped them meanwhile. */
    private final Map<String, PresenceEntry> own = new ConcurrentHashMap<>();
    private CoalescedTask flushes;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Cache<String, PresenceEntry> mirrored;

    @PostConstruct
    void init() {
        flushes = new CoalescedTask(schedulers.shared(), BATCH_MILLIS, this::flush);
        settings = PresenceSettings.from(config);
        if (settings.reconcileMillis() > 0) {
            schedulers.shared().scheduleWithFixedDelay(this::reconcile, settings.reconcileMillis(), settings.reconcileMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Calls {@code listener} for every join and leave the mirror sees. */
    public void onChange(ChangeListener listener) {
        listeners.add(listener);
    }

    /** A connection of {@code user} subscribed to a channel that tracks presence. */
    public void joined(String channel, String connection, String user) {
        mirror();
        if (entries(channel).size() >= settings.maxPerChannel()) {
            return; // bounded: listed as incomplete
        }
        String key = key(channel, connection);
        PresenceEntry entry = new PresenceEntry(user, connection, node.id(), System.currentTimeMillis());
        own.put(key, entry);
        pending.put(key, entry);
        flushes.request();
    }

    /** The connection unsubscribed or closed. */
    public void left(String channel, String connection) {
        String key = key(channel, connection);
        own.remove(key);
        pending.put(key, GONE);
        flushes.request();
    }

    /**
     * A channel's presence.
     *
     * @throws MessageRejectedException with NOT_ENABLED when the channel does not track presence
     */
    public Snapshot of(String channel, ChannelOptions options) {
        if (!options.presence()) {
            throw new MessageRejectedException(ErrorCode.NOT_ENABLED, channel + " does not track presence");
        }
        mirror();
        List<PresenceEntry> entries = new ArrayList<>(entries(channel).values());
        entries.sort((a, b) -> Long.compare(a.since(), b.since()));
        return new Snapshot(entries, entries.size() < settings.maxPerChannel());
    }

    /** Entries across all channels on this node's mirror. */
    public int size() {
        return byChannel.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Drops the entries of nodes that left (or did not survive a partition) everywhere at once. After a
     * merge, writes this node's own entries again: a side that had lost sight of it dropped them.
     */
    void onMembershipChange(@Observes MembershipChange change) {
        if (mirrored == null) {
            return;
        }
        if (change.merged()) {
            announceOwn();
            // Entries that reach a node through the merge's state transfer fire no listener event, and a
            // write made while the views were still settling can lose to the merge: once it has settled,
            // write this node's entries again and read the mirror afresh from the cache.
            schedulers.shared().schedule(this::announceOwn, MERGE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            schedulers.shared().schedule(this::resync, 2 * MERGE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
        List<String> gone = new ArrayList<>(change.left());
        List<String> keys = new ArrayList<>();
        byChannel.forEach((channel, entries) -> entries.values().stream()
                .filter(e -> gone.contains(e.node()) || change.merged() && !change.members().contains(e.node()))
                .forEach(e -> keys.add(key(channel, e.connection()))));
        for (String key : keys) {
            dropFromMirror(key);
        }
        if (change.coordinator() && !keys.isEmpty()) {
            Cache<String, PresenceEntry> cache = mirrored;
            AdvancedCache<String, PresenceEntry> removing = removing(cache);
            keys.forEach(removing::removeAsync);
            LOG.info(() -> "Removed " + keys.size() + " presence entries of nodes that left: " + change.left());
        }
    }

    private void announceOwn() {
        if (!own.isEmpty()) {
            own.forEach(pending::putIfAbsent);
            flushes.request();
        }
    }

    /** Makes the mirror equal to the cache's contents, telling the listeners what it adds or drops. */
    private void resync() {
        Cache<String, PresenceEntry> cache = mirrored;
        if (cache == null || !caches.isRunning()) {
            return;
        }
        resyncTo(contents(cache));
    }

    private static Map<String, PresenceEntry> contents(Cache<String, PresenceEntry> cache) {
        Map<String, PresenceEntry> current = new HashMap<>();
        cache.forEach(current::put);
        return current;
    }

    private void resyncTo(Map<String, PresenceEntry> current) {
        List<String> stale = new ArrayList<>();
        byChannel.forEach((channel, entries) -> entries.keySet().stream().map(connection -> key(channel, connection))
                .filter(key -> !current.containsKey(key)).forEach(stale::add));
        stale.forEach(this::dropFromMirror);
        current.forEach(this::addToMirror);
    }

    /**
     * Anti-entropy, every {@code wscluster.presence.reconcile-ms}: this node's entries are written again (their
     * leases renewed), those the cache holds for it that it no longer owns are removed, and the mirror is
     * made equal to the cache. An asynchronous write can be lost in a view change or a merge; a ghost that
     * only another node's copy holds, where this node cannot see it, expires with its lease.
     */
    private void reconcile() {
        try {
            Cache<String, PresenceEntry> cache = mirrored;
            if (cache == null || !caches.isRunning()) {
                return;
            }
            // One read of the cache serves both repairs.
            Map<String, PresenceEntry> current = contents(cache);
            String self = node.id();
            int[] repaired = {0};
            current.forEach((key, entry) -> {
                // Not ours any more, and no write for it under way: a leave that was lost.
                if (self.equals(entry.node()) && !own.containsKey(key) && pending.putIfAbsent(key, GONE) == null) {
                    repaired[0]++;
                }
            });
            // Every own entry is written again: its lease is renewed, and one lost in the cluster is back.
            own.forEach((key, entry) -> {
                if (pending.putIfAbsent(key, entry) == null && !current.containsKey(key)) {
                    repaired[0]++;
                }
            });
            if (repaired[0] > 0) {
                LOG.info(() -> "Presence: repaired " + repaired[0] + " entries of this node lost in the cluster");
            }
            flushes.request();
            resyncTo(current);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Presence reconciliation skipped (shutting down?)", e);
        }
    }

    private Map<String, PresenceEntry> entries(String channel) {
        return byChannel.getOrDefault(channel, Map.of());
    }

    /** One thread at a time: a connection's join and leave are never reordered. */
    private synchronized void flush() {
        if (!caches.isRunning()) {
            pending.clear();
            return;
        }
        Map<String, PresenceEntry> joins = new HashMap<>();
        List<String> leaves = new ArrayList<>();
        for (String key : List.copyOf(pending.keySet())) {
            PresenceEntry entry = pending.remove(key);
            if (entry == GONE) {
                leaves.add(key);
            } else if (entry != null) {
                joins.put(key, entry);
            }
        }
        try {
            Cache<String, PresenceEntry> cache = caches.cache(CACHE);
            if (!joins.isEmpty()) {
                cache.putAllAsync(joins, settings.leaseMillis(), TimeUnit.MILLISECONDS).whenComplete((done, failure) -> logFailed(failure, joins.size() + " joins"));
            }
            if (!leaves.isEmpty()) {
                AdvancedCache<String, PresenceEntry> removing = removing(cache);
                CompletableFuture.allOf(leaves.stream().map(removing::removeAsync)
                        .toArray(CompletableFuture[]::new))
                        .whenComplete((done, failure) -> logFailed(failure, leaves.size() + " leaves"));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not write presence (shutting down?)", e);
        }
    }

    /**
     * The cache for removes that reach every copy. A remove runs on the key's primary owner, which sends it
     * on only if it removed something there (RemoveCommand.shouldReplicate); after a merge without conflict
     * resolution the copies differ, and a leave whose key the primary lacks would never leave the others,
     * repeated by every reconciliation in vain. SKIP_CACHE_LOAD (there is no store) makes the primary send
     * it on regardless.
     */
    static AdvancedCache<String, PresenceEntry> removing(Cache<String, PresenceEntry> cache) {
        return cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES, Flag.SKIP_CACHE_LOAD);
    }

    /** A failed write is repaired by the next reconciliation; said, so a ghost that stays can be traced. */
    private static void logFailed(Throwable failure, String what) {
        if (failure != null) {
            LOG.log(Level.WARNING, "Presence: writing " + what + " failed; reconciliation will retry: " + failure);
        }
    }

    /** Starts mirroring the cache (again, after the cache manager was restarted). */
    private void mirror() {
        Cache<String, PresenceEntry> cache = caches.cache(CACHE);
        if (mirrored == cache) {
            return;
        }
        synchronized (this) {
            if (mirrored != cache) {
                cache.addListener(new Mirror());
                byChannel.clear();
                cache.forEach(this::addToMirror);
                mirrored = cache;
            }
        }
    }

    private void addToMirror(String key, PresenceEntry entry) {
        String channel = channelOf(key);
        if (byChannel.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(entry.connection(), entry) == null) {
            listeners.forEach(l -> l.changed(channel, entry, true));
        }
    }

    private void dropFromMirror(String key) {
        String channel = channelOf(key);
        PresenceEntry[] removed = {null};
        byChannel.computeIfPresent(channel, (c, entries) -> {
            removed[0] = entries.remove(key.substring(channel.length() + 1));
            return entries.isEmpty() ? null : entries;
        });
        if (removed[0] != null) {
            listeners.forEach(l -> l.changed(channel, removed[0], false));
        }
    }

    // A space never occurs in a channel name.
    private static String key(String channel, String connection) {
        return channel + ' ' + connection;
    }

    private static String channelOf(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    /** Keeps the mirror current and tells the listeners; synchronous, so a read after a local write sees it. */
    @Listener(sync = true)
    public class Mirror {

        @CacheEntryCreated
        @CacheEntryModified
        public void written(CacheEntryEvent<String, PresenceEntry> event) {
            if (!event.isPre() && event.getValue() != null) {
                addToMirror(event.getKey(), event.getValue());
            }
        }

        @CacheEntryRemoved
        @CacheEntryExpired
        public void removed(CacheEntryEvent<String, PresenceEntry> event) {
            if (!event.isPre()) {
                dropFromMirror(event.getKey());
            }
        }
    }
}
