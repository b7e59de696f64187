package io.wscluster.registry;

import java.util.List;

/** What this node carries right now; the web module's connection registry provides it. */
public interface LocalLoad {

    int connections();

    int subscriptions();

    /** Channels with at least one subscriber here. */
    int activeChannels();

    /** Frames waiting in outbound queues. */
    long queuedFrames();

    /** The {@code limit} channels with the most subscribers here. */
    List<ChannelCount> topChannels(int limit);
}
