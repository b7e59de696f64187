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

/**
 * Knows which channels exist and how each behaves; every subscribe and publish asks it first. Starts from
 * {@code wscluster.channels} (comma-separated names and patterns, each with optional {@link ChannelOptions}
 * in braces), then follows the cluster's shared setting (the replicated {@code settings} cache), which
 * the first node to start provides.
 */
@ApplicationScoped
public class ChannelCatalog {

    private static final Logger LOG = Logger.getLogger(ChannelCatalog.class.getName());
    static final String CACHE = "settings";

    @Inject
    @ConfigProperty(name = "wscluster.channels",
            defaultValue = "news{history=100},alerts{history=1000},chat.*{history=100;presence;join-leave},room.*,live.*{history=10;cache}")
    List<String> configured;

    @Inject
    ClusterCaches caches;

    private volatile ChannelRules rules;

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
        ChannelNames.requireValid(channel);
        return rules.find(channel).orElseThrow(() ->
                new MessageRejectedException(ErrorCode.UNKNOWN_CHANNEL, "no such channel: " + channel));
    }

    /** The options of a channel a message was published to (defaults for one the configuration no longer has). */
    public ChannelOptions options(String channel) {
        return rules.find(channel).orElse(ChannelOptions.DEFAULTS);
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
        ChannelSettings offered = new ChannelSettings(rules.entries(), nodeId, System.currentTimeMillis());
        ChannelSettings shared = caches.<String, ChannelSettings>cache(CACHE).putIfAbsent(ChannelSettings.KEY, offered);
        if (shared == null || shared.entries().equals(rules.entries())) {
            return;
        }
        ChannelRules adopted = ChannelRules.of(shared.entries());
        LOG.warning(() -> "Using the cluster's channels " + shared.entries() + " (set by " + shared.setBy()
                + ") instead of " + rules.entries());
        rules = adopted;
    }
}
