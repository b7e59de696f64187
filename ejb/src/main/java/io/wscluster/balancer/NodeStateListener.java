package io.wscluster.balancer;

import io.wscluster.registry.NodeInfo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Listens to the registry's cache and runs an action when a node joins, leaves or changes state, not on
 * every heartbeat. Infinispan calls it on its own threads (sync = false), so the action should only queue work.
 */
@Listener(sync = false)
public class NodeStateListener {

    private final Map<String, Object> lastState = new ConcurrentHashMap<>();
    private final Runnable onChange;

    NodeStateListener(Runnable onChange) {
        this.onChange = onChange;
    }

    @CacheEntryCreated
    @CacheEntryModified
    @CacheEntryRemoved
    public void changed(CacheEntryEvent<String, NodeInfo> event) {
        NodeInfo node = event.getValue();
        Object state = node == null ? "gone" : node.state();
        if (!state.equals(lastState.put(event.getKey(), state))) {
            onChange.run();
        }
    }
}
