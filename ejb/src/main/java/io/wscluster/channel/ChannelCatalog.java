package io.wscluster.channel;

import java.util.List;

/** Knows which channels exist; every subscribe and publish asks it first. */
public interface ChannelCatalog {

    /**
     * @throws io.wscluster.broadcast.MessageRejectedException with {@code INVALID_CHANNEL} for a
     *         malformed name, {@code UNKNOWN_CHANNEL} for a name the configuration does not allow
     */
    void requireKnown(String channel);

    /** The configured names and patterns. */
    List<String> entries();
}
