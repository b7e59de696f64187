package io.wscluster.channel;

import java.util.List;

/** Knows which channels exist; every subscribe and publish asks it first. */
public interface ChannelCatalog {

    /**
     * @throws io.wscluster.broadcast.MessageRejectedException with {@code INVALID_CHANNEL} for a
     *         malformed name, {@code UNKNOWN_CHANNEL} for a name the configuration does not allow
     */
    void requireKnown(String channel);

    /** The names and patterns in force: the cluster's, once this node has adopted them. */
    List<String> entries();

    /**
     * Takes the cluster's channel settings, or offers this node's configuration if the cluster has
     * none yet, so every node agrees on which channels exist. Called at start-up and on each heartbeat.
     */
    void adoptClusterSettings();
}
