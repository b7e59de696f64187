package io.wscluster.bus;

import fish.payara.micro.cdi.Inbound;
import fish.payara.micro.cdi.Outbound;
import io.wscluster.api.Priority;
import io.wscluster.cluster.MembershipChange;
import io.wscluster.message.UserCommand;
import io.wscluster.hub.Hub;
import io.wscluster.message.Message;
import io.wscluster.metrics.Metrics;
import io.wscluster.registry.LocalNode;
import io.wscluster.schedule.Schedulers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;

/**
 * The bus of a clustered node: delivers to this node's hub, and carries messages published here to every
 * other node, and theirs to this one, as Payara clustered CDI events. A clustered event costs far more
 * CPU than a message (they top out near a thousand a second on two cores), and they arrive out of order.
 * So messages are coalesced into batches: a batch goes {@code flush-micros} after its first message, but
 * never sooner than 1/{@code max-batches-per-second} after the previous one, so under load batches grow
 * rather than multiply; full batches and high-priority messages go at once. Every batch carries its
 * origin, epoch and sequence for {@link SequenceGate}.
 */
@ApplicationScoped
@Typed(ClusterBus.class)
public class ClusterBus {

    @Inject
    @Outbound
    Event<MessageBatch> outbound;

    @Inject
    @Outbound
    Event<ClusterCommand> commands;

    @Inject
    Hub hub;

    @Inject
    LocalNode node;

    @Inject
    Metrics metrics;

    @Inject
    Schedulers schedulers;

    @Inject
    Config config;

    private final Object lock = new Object();
    private final long epoch = System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000);
    private BusSettings settings;
    private List<Message> pending = new ArrayList<>();
    private long pendingBytes;
    private long nextSequence = 1;
    private long lastBatchNanos;
    private ScheduledFuture<?> scheduledFlush;
    private ScheduledExecutorService scheduler;
    private BatchCodec codec;
    private SequenceGate gate;

    @PostConstruct
    void init() {
        settings = BusSettings.from(config);
        scheduler = schedulers.create("wscluster-bus", 1);
        codec = new BatchCodec(settings.compressAboveBytes());
        gate = new SequenceGate(settings.gapTimeoutMillis(), this::deliverBatch, metrics::batchesOutOfSequence);
        metrics.gauge("wscluster.bus.batches.held", "Batches from other nodes held back until a gap in their sequence fills",
                gate::heldBatches);
        long checkEvery = Math.max(50, settings.gapTimeoutMillis() / 4);
        scheduler.scheduleWithFixedDelay(() -> gate.expire(System.currentTimeMillis()),
                checkEvery, checkEvery, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void shutdown() {
        flush();
    }

    /** Delivers here and queues for the other nodes; never blocks on the network. */
    public void publish(Message message) {
        hub.deliver(message); // this node's subscribers
        MessageBatch ready = null;
        synchronized (lock) {
            pending.add(message);
            pendingBytes += message.data().length() + 64;
            if (message.priority() == Priority.HIGH || pending.size() >= settings.maxBatchMessages()
                    || pendingBytes >= settings.maxBatchBytes()) {
                ready = takeBatch();
            } else if (scheduledFlush == null) {
                long now = System.nanoTime();
                long earliest = lastBatchNanos + 1_000_000_000L / Math.max(1, settings.maxBatchesPerSecond());
                long delayNanos = Math.max(settings.flushMicros() * 1_000, earliest - now);
                scheduledFlush = scheduler.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (ready != null) {
            outbound.fire(ready);
        }
    }

    /** Sends whatever is pending now. */
    void flush() {
        MessageBatch ready;
        synchronized (lock) {
            ready = pending.isEmpty() ? null : takeBatch();
            scheduledFlush = null;
        }
        if (ready != null) {
            outbound.fire(ready);
        }
    }

    /**
     * Applies a command here and sends it to the other nodes at once, on its own: commands are rare, and
     * no message waits on one (a server-side subscribe acts on the connections there are when it arrives).
     */
    public void command(UserCommand command) {
        hub.apply(command);
        commands.fire(new ClusterCommand(node.id(), command));
    }

    void receive(@Observes @Inbound ClusterCommand command) {
        if (!command.origin().equals(node.id())) {
            hub.apply(command.command());
        }
    }

    void receive(@Observes @Inbound MessageBatch batch) {
        if (batch.origin().equals(node.id())) {
            return; // our own, if the event bus ever loops back
        }
        gate.accept(batch, System.currentTimeMillis());
    }

    void onMembershipChange(@Observes(notifyObserver = Reception.IF_EXISTS) MembershipChange change) {
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

    private void deliverBatch(MessageBatch batch) {
        long now = System.currentTimeMillis();
        for (Message message : BatchCodec.decode(batch)) {
            metrics.remoteArrival((now - message.timestamp()) * 1000);
            hub.deliver(message);
        }
    }
}
