package io.wscluster.registry;

/** What this node carries right now; the web module's connection registry provides it. */
public interface LocalLoad {

    int connections();

    int subscriptions();
}
