package io.wscluster.web.guard;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open sockets and handshakes per second, counted per client address. Entries of addresses with no open
 * socket are dropped at each new second, so the map holds only addresses active now.
 */
final class AddressLimits {

    private final int maxOpen;
    private final int maxPerSecond;
    private final ConcurrentHashMap<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile long second;

    AddressLimits(int maxOpen, int maxPerSecond) {
        this.maxOpen = maxOpen;
        this.maxPerSecond = maxPerSecond;
    }

    /**
     * Why a new handshake from the address is refused, or null when it is admitted (and counted as open
     * until {@link #release}). Every attempt counts towards the rate, refused ones included.
     */
    String admit(String address, long nowMillis) {
        long now = nowMillis / 1000;
        if (now != second) {
            second = now;
            // Two seconds stale, so an entry just created for an admission under way is never dropped.
            counts.values().removeIf(c -> c.open.get() <= 0 && c.second < now - 1);
        }
        Counts c = counts.computeIfAbsent(address, a -> new Counts(now));
        synchronized (c) {
            if (c.second != now) {
                c.second = now;
                c.handshakes = 0;
            }
            c.handshakes++; // refused attempts count too: a flood is a flood
            if (maxPerSecond > 0 && c.handshakes > maxPerSecond) {
                return "more than " + maxPerSecond + " handshakes per second from " + address;
            }
            if (maxOpen > 0 && c.open.get() >= maxOpen) {
                return "more than " + maxOpen + " open connections from " + address;
            }
            c.open.incrementAndGet();
        }
        return null;
    }

    /** A socket admitted by {@link #admit} has ended (or its handshake failed). */
    void release(String address) {
        Counts c = counts.get(address);
        if (c != null) {
            c.open.decrementAndGet();
        }
    }

    int addresses() {
        return counts.size();
    }

    int open(String address) {
        Counts c = counts.get(address);
        return c == null ? 0 : c.open.get();
    }

    private static final class Counts {
        final AtomicInteger open = new AtomicInteger();
        long second;
        int handshakes;

        Counts(long second) {
            this.second = second;
        }
    }
}
