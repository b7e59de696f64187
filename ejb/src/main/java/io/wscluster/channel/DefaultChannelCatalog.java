package io.wscluster.channel;

import io.wscluster.broadcast.MessageRejectedException;
import io.wscluster.protocol.ErrorCode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Channel catalogue configured by {@code wscluster.channels}, a comma-separated list of names and patterns. */
@ApplicationScoped
public class DefaultChannelCatalog implements ChannelCatalog {

    @Inject
    @ConfigProperty(name = "wscluster.channels", defaultValue = "news,alerts,chat.*,room.*")
    List<String> configured;

    private ChannelAllowList allowList;

    @PostConstruct
    void compile() {
        // An invalid entry fails the deployment here, loudly, instead of silently allowing nothing.
        allowList = ChannelAllowList.of(configured);
    }

    @Override
    public void requireKnown(String channel) {
        if (!ChannelNames.isValid(channel)) {
            throw new MessageRejectedException(ErrorCode.INVALID_CHANNEL, ChannelNames.rule());
        }
        if (!allowList.allows(channel)) {
            throw new MessageRejectedException(ErrorCode.UNKNOWN_CHANNEL, "no such channel: " + channel);
        }
    }

    @Override
    public List<String> entries() {
        return allowList.entries();
    }
}
