package io.wscluster.registry;

/** What this node carries right now; the web module's connection registry provides it. */
public interface LocalLoad {

    int connections();

    int subscriptions();

    /** Channels with at least one subscriber here. */
    int activeChannels();

    /** Frames waiting in outbound queues. */
    long queuedFrames();
}
