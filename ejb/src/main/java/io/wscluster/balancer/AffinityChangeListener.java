package io.wscluster.balancer;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * Listens to the affinity cache and hands the user of every change to an action that only queues work.
 * Synchronous on purpose, as every listener on a cache written in bursts must be: Infinispan runs
 * asynchronous listeners on one thread with a queue of 1,000 events, and a full queue fails the very write
 * that fired the event ({@code CacheBackpressureFullException}), on the writer and on each replica alike.
 */
@Listener(sync = true)
public class AffinityChangeListener {

    private static final Logger LOG = Logger.getLogger(AffinityChangeListener.class.getName());

    private final Consumer<String> onChange;

    AffinityChangeListener(Consumer<String> onChange) {
        this.onChange = onChange;
    }

    @CacheEntryCreated
    @CacheEntryModified
    @CacheEntryRemoved
    @CacheEntryExpired
    public void changed(CacheEntryEvent<String, ?> event) {
        if (event.isPre()) {
            return;
        }
        try {
            onChange.accept(event.getKey());
        } catch (RuntimeException e) {
            // An exception here would fail the cache write itself.
            LOG.log(Level.FINE, "Could not queue the affinity change of " + event.getKey(), e);
        }
    }
}
