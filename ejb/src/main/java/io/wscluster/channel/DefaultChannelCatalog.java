package io.wscluster.channel;

import io.wscluster.broadcast.MessageRejectedException;
import io.wscluster.cluster.ClusterCaches;
import io.wscluster.protocol.ErrorCode;
import io.wscluster.registry.NodeIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Channel catalogue: starts from {@code wscluster.channels} (comma-separated names and patterns) and
 * then follows the cluster's shared settings, which the first node to start provides.
 */
@ApplicationScoped
public class DefaultChannelCatalog implements ChannelCatalog {

    private static final Logger LOG = Logger.getLogger(DefaultChannelCatalog.class.getName());

    @Inject
    @ConfigProperty(name = "wscluster.channels", defaultValue = "news,alerts,chat.*,room.*")
    List<String> configured;

    @Inject
    ClusterCaches caches;

    @Inject
    NodeIdentity node;

    private volatile ChannelAllowList allowList;

    @PostConstruct
    void compile() {
        // An invalid entry fails the deployment here, loudly, instead of silently allowing nothing.
        allowList = ChannelAllowList.of(configured);
    }

    @Override
    public void requireKnown(String channel) {
        ChannelNames.requireValid(channel);
        if (!allowList.allows(channel)) {
            throw new MessageRejectedException(ErrorCode.UNKNOWN_CHANNEL, "no such channel: " + channel);
        }
    }

    @Override
    public List<String> entries() {
        return allowList.entries();
    }

    @Override
    public void adoptClusterSettings() {
        ChannelSettings offered = new ChannelSettings(allowList.entries(), node.id(), System.currentTimeMillis());
        ChannelSettings shared = caches.settings().putIfAbsent(ChannelSettings.KEY, offered);
        if (shared == null || shared.entries().equals(allowList.entries())) {
            return;
        }
        ChannelAllowList adopted = ChannelAllowList.of(shared.entries());
        LOG.warning(() -> "Using the cluster's channels " + shared.entries() + " (set by " + shared.setBy()
                + ") instead of " + allowList.entries());
        allowList = adopted;
    }
}
