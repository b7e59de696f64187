package io.wscluster.channel;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.cluster.ClusterCaches;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.infinispan.Cache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Knows which channels exist and how each behaves; every subscribe and publish asks it first. Starts from
 * {@code wscluster.channels} (comma-separated names and patterns, each with optional {@link ChannelOptions}
 * in braces), then follows the cluster's shared setting (the replicated {@code settings} cache), which
 * the first node to start provides, and a node started with {@code wscluster.channels.replace} replaces
 * (a rolling restart applying a change): every node follows the setting as it changes.
 */
@ApplicationScoped
public class ChannelCatalog {

    private static final Logger LOG = Logger.getLogger(ChannelCatalog.class.getName());
    static final String CACHE = "settings";
    /**
     * The channels nodes warm up on ({@code $warmup:} and the node's id): every node has them, whatever the
     * configuration; no client can name one (a name starts with a letter or digit), and only the server may
     * subscribe or publish there.
     */
    private static final String WARMUP_PREFIX = "$warmup:";
    private static final ChannelOptions WARMUP = new ChannelOptions(ChannelOptions.DEFAULTS.slowConsumer(), 0,
            ChannelOptions.DEFAULTS.historyTtl(), false, false, false, Access.SERVER, Access.SERVER, false, false);

    @Inject
    @ConfigProperty(name = "wscluster.channels",
            defaultValue = "news{history=100},alerts{history=1000},chat.*{history=100;presence;join-leave},room.*,live.*{history=10;cache}")
    List<String> configured;

    @Inject
    @ConfigProperty(name = "wscluster.channels.replace", defaultValue = "false")
    boolean replace;

    @Inject
    ClusterCaches caches;

    private volatile ChannelRules rules;
    private volatile Cache<String, ChannelSettings> followed;

    @PostConstruct
    void compile() {
        // An invalid entry fails the deployment here, loudly, instead of silently allowing nothing.
        rules = ChannelRules.of(configured);
    }

    /**
     * The channel's options, for a channel that exists.
     *
     * @throws MessageRejectedException with {@code INVALID_CHANNEL} for a malformed name,
     *     {@code UNKNOWN_CHANNEL} for a name the configuration does not allow
     */
    public ChannelOptions requireKnown(String channel) {
        if (isWarmup(channel)) {
            return WARMUP;
        }
        ChannelNames.requireValid(channel);
        return rules.find(channel).orElseThrow(() ->
                new MessageRejectedException(ErrorCode.UNKNOWN_CHANNEL, "no such channel: " + channel));
    }

    /** The options of a channel a message was published to (defaults for one the configuration no longer has). */
    public ChannelOptions options(String channel) {
        return isWarmup(channel) ? WARMUP : rules.find(channel).orElse(ChannelOptions.DEFAULTS);
    }

    /** The channel the node {@code nodeId} warms up on. */
    public static String warmupChannel(String nodeId) {
        return WARMUP_PREFIX + nodeId;
    }

    private static boolean isWarmup(String channel) {
        return channel != null && channel.startsWith(WARMUP_PREFIX);
    }

    /** The names and patterns in force: the cluster's, once this node has adopted them. */
    public List<String> entries() {
        return rules.entries();
    }

    /**
     * Takes the cluster's channel settings, or offers this node's configuration if the cluster has none
     * yet, so every node agrees on which channels exist. Called when this node registers (at start-up,
     * and again after it was disconnected).
     */
    public void adoptClusterSettings(String nodeId) {
        Cache<String, ChannelSettings> cache = caches.cache(CACHE);
        follow(cache);
        ChannelSettings offered = new ChannelSettings(rules.entries(), nodeId, System.currentTimeMillis());
        ChannelSettings shared = cache.putIfAbsent(ChannelSettings.KEY, offered);
        if (shared == null || shared.entries().equals(rules.entries())) {
            return;
        }
        if (replace) {
            cache.put(ChannelSettings.KEY, offered);
            LOG.info(() -> "Replaced the cluster's channels " + shared.entries() + " (set by " + shared.setBy() + ") with " + offered.entries());
            return;
        }
        adopt(shared);
    }

    private void adopt(ChannelSettings shared) {
        if (shared.entries().equals(rules.entries())) {
            return;
        }
        try {
            ChannelRules adopted = ChannelRules.of(shared.entries());
            LOG.warning(() -> "Using the cluster's channels " + shared.entries() + " (set by " + shared.setBy()
                    + ") instead of " + rules.entries());
            rules = adopted;
        } catch (RuntimeException e) {
            LOG.warning(() -> "Kept channels " + rules.entries() + ": the cluster's, set by " + shared.setBy() + ", are invalid here: " + e.getMessage());
        }
    }

    /** Follows changes to the shared setting (once per cache: again after the cache manager was restarted). */
    private void follow(Cache<String, ChannelSettings> cache) {
        synchronized (this) {
            if (followed != cache) {
                cache.addListener(new SettingsListener());
                followed = cache;
            }
        }
    }

    /** Another node replaced the channel settings: adopt them. Asynchronous: nobody waits on it. */
    @Listener(sync = false)
    public class SettingsListener {

        @CacheEntryCreated
        @CacheEntryModified
        public void changed(CacheEntryEvent<String, ChannelSettings> event) {
            if (!event.isPre() && ChannelSettings.KEY.equals(event.getKey()) && event.getValue() != null) {
                adopt(event.getValue());
            }
        }
    }
}
