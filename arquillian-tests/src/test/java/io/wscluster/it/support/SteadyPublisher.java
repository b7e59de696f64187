package io.wscluster.it.support;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One publisher that publishes numbered messages to a channel over REST, one at a time (the next only
 * after the previous one's answer), through the given nodes in turn, at most {@code perSecond} a second
 * and at most {@value #MAX_MESSAGES} in all; a node that is down is skipped. Keeps the acknowledged (202)
 * ids in the order they were acknowledged: the order every subscriber must see them in.
 */
public final class SteadyPublisher implements AutoCloseable {

    private static final int MAX_MESSAGES = 5_000;

    private final List<Node> nodes;
    private final String channel;
    private final long intervalNanos;
    private final List<String> acknowledged = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    public SteadyPublisher(List<Node> nodes, String channel, int perSecond) {
        this.nodes = List.copyOf(nodes);
        this.channel = channel;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.thread = new Thread(this::run, "steady-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        for (int n = 0; n < MAX_MESSAGES && !stopped; n++) {
            Node node = nodes.get(n % nodes.size());
            try {
                HttpResponse<String> response = node.postJson("/api/channels/" + channel + "/messages", "{\"n\":" + n + "}");
                if (response.statusCode() == 202) {
                    String id = Node.json(response).getString("id");
                    synchronized (this) {
                        acknowledged.add(id);
                    }
                }
            } catch (RuntimeException e) {
                // the node is down: this message was never acknowledged, and need not arrive
            }
            next += intervalNanos;
            LockSupport.parkNanos(next - System.nanoTime()); // pacing the rate, not waiting for anything
        }
    }

    /** The ids acknowledged so far, in order. */
    public synchronized List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Stops publishing and returns every acknowledged id, in order. */
    public List<String> stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        return acknowledged();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
