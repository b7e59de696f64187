package io.wscluster.balancer;

import io.wscluster.registry.NodeInfo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Listens to the registry's cache and runs an action when a node joins, leaves or changes state, not on
 * every heartbeat. Synchronous, on the writing thread, for the reason {@link AffinityChangeListener} gives;
 * so the action only queues work.
 */
@Listener(sync = true)
public class NodeStateListener {

    private static final Logger LOG = Logger.getLogger(NodeStateListener.class.getName());

    private final Map<String, Object> lastState = new ConcurrentHashMap<>();
    private final Runnable onChange;

    NodeStateListener(Runnable onChange) {
        this.onChange = onChange;
    }

    @CacheEntryCreated
    @CacheEntryModified
    @CacheEntryRemoved
    public void changed(CacheEntryEvent<String, NodeInfo> event) {
        if (event.isPre()) {
            return;
        }
        NodeInfo node = event.getValue();
        Object state = node == null ? "gone" : node.state();
        if (!state.equals(lastState.put(event.getKey(), state))) {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                // An exception here would fail the cache write itself.
                LOG.log(Level.FINE, "Could not queue the reaction to node " + event.getKey() + " being " + state, e);
            }
        }
    }
}
