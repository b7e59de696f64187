package io.wscluster.bus;

import fish.payara.micro.cdi.Inbound;
import fish.payara.micro.cdi.Outbound;
import io.wscluster.broadcast.Message;
import io.wscluster.broadcast.Priority;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.registry.NodeIdentity;
import io.wscluster.ops.NodeMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Carries messages published here to every other node, and theirs to this one, as Payara clustered CDI
 * events. A clustered event costs far more CPU than a message (they top out near a thousand a second
 * on two cores), and they arrive out of order. So messages are coalesced into batches: a batch goes
 * {@code wscluster.bus.flush-micros} after its first message, but never sooner than
 * 1/{@code wscluster.bus.max-batches-per-second} after the previous one, so under load batches grow
 * rather than multiply; full batches and high-priority messages go at once. Every batch carries its
 * origin, epoch and sequence for {@link SequenceGate}.
 */
@ApplicationScoped
public class ClusterBus {

    private static final Logger LOG = Logger.getLogger(ClusterBus.class.getName());

    @Inject
    @Outbound
    Event<MessageBatch> outbound;

    /** Local delivery of what arrives from other nodes. */
    @Inject
    Event<Message> deliveries;

    @Inject
    NodeIdentity node;

    @Inject
    NodeMetrics metrics;

    /**
     * Threads with the application's context, created once. Not a ManagedScheduledExecutorService:
     * that captures context on every schedule(), which in Payara scans the class path each time and
     * cost half the CPU of a busy node.
     */
    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    @ConfigProperty(name = "wscluster.bus.flush-micros", defaultValue = "1000")
    long flushMicros;

    /** Batches per second this node sends at most (full batches and high-priority messages excepted). */
    @Inject
    @ConfigProperty(name = "wscluster.bus.max-batches-per-second", defaultValue = "200")
    int maxBatchesPerSecond;

    @Inject
    @ConfigProperty(name = "wscluster.bus.max-batch-messages", defaultValue = "500")
    int maxBatchMessages;

    @Inject
    @ConfigProperty(name = "wscluster.bus.max-batch-bytes", defaultValue = "262144")
    int maxBatchBytes;

    /** Batches larger than this are deflated between nodes; 0 disables compression. */
    @Inject
    @ConfigProperty(name = "wscluster.bus.compress-above-bytes", defaultValue = "16384")
    int compressAboveBytes;

    /** How long a gap in an origin's sequence may hold later batches back before they are released. */
    @Inject
    @ConfigProperty(name = "wscluster.bus.gap-timeout-ms", defaultValue = "2000")
    long gapTimeoutMillis;

    private final Object lock = new Object();
    private final long epoch = System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000);
    private List<Message> pending = new ArrayList<>();
    private long pendingBytes;
    private long nextSequence = 1;
    private long lastBatchNanos;
    private ScheduledFuture<?> scheduledFlush;
    private ScheduledThreadPoolExecutor scheduler;
    private BatchCodec codec;
    private SequenceGate gate;
    private volatile boolean sendFailureLogged;

    @PostConstruct
    void init() {
        scheduler = new ScheduledThreadPoolExecutor(1, threadFactory);
        scheduler.setRemoveOnCancelPolicy(true);
        codec = new BatchCodec(compressAboveBytes);
        gate = new SequenceGate(gapTimeoutMillis, this::deliverBatch);
        long checkEvery = Math.max(50, gapTimeoutMillis / 4);
        scheduler.scheduleWithFixedDelay(() -> gate.expire(System.currentTimeMillis()),
                checkEvery, checkEvery, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void shutdown() {
        flush();
        scheduler.shutdownNow();
    }

    /** Queues a message published on this node for the other nodes; never blocks on the network. */
    public void send(Message message) {
        MessageBatch ready = null;
        synchronized (lock) {
            pending.add(message);
            pendingBytes += message.data().length() + 64;
            if (message.priority() == Priority.HIGH || pending.size() >= maxBatchMessages || pendingBytes >= maxBatchBytes) {
                ready = takeBatch();
            } else if (scheduledFlush == null) {
                long now = System.nanoTime();
                long earliest = lastBatchNanos + 1_000_000_000L / Math.max(1, maxBatchesPerSecond);
                long delayNanos = Math.max(flushMicros * 1_000, earliest - now);
                scheduledFlush = scheduler.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (ready != null) {
            fire(ready);
        }
    }

    /** Sends whatever is pending now. */
    public void flush() {
        MessageBatch ready;
        synchronized (lock) {
            ready = pending.isEmpty() ? null : takeBatch();
            scheduledFlush = null;
        }
        if (ready != null) {
            fire(ready);
        }
    }

    void receive(@Observes @Inbound MessageBatch batch) {
        if (batch.origin().equals(node.id())) {
            return; // our own, if the event bus ever loops back
        }
        gate.accept(batch, System.currentTimeMillis());
    }

    void onMembershipChange(@Observes MembershipChange change) {
        change.left().forEach(gate::originLeft);
    }

    private MessageBatch takeBatch() {
        // Encoding under the lock keeps sequence numbers in the order the batches were cut.
        MessageBatch batch = codec.encode(node.id(), epoch, nextSequence++, pending);
        metrics.batchSent(pending.size());
        pending = new ArrayList<>();
        pendingBytes = 0;
        lastBatchNanos = System.nanoTime();
        if (scheduledFlush != null) {
            scheduledFlush.cancel(false);
            scheduledFlush = null;
        }
        return batch;
    }

    private void fire(MessageBatch batch) {
        try {
            outbound.fire(batch);
        } catch (RuntimeException e) {
            // Without Payara clustering (--nocluster) there is no bus: a single node still serves its clients.
            if (!sendFailureLogged) {
                sendFailureLogged = true;
                LOG.log(Level.WARNING, "Clustered events are unavailable; messages stay on this node", e);
            }
        }
    }

    private void deliverBatch(MessageBatch batch) {
        long now = System.currentTimeMillis();
        for (Message message : BatchCodec.decode(batch)) {
            metrics.remoteArrival((now - message.timestamp()) * 1000);
            deliveries.fire(message);
        }
    }
}
