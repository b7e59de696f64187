package io.wscluster.hub;

import io.wscluster.cluster.MembershipChange;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes connections that sent nothing (not even a ping) for {@code wscluster.session.idle-timeout-ms}
 * (dead peers, forgotten tabs; the transport's own idle timeout is off), and gives up on clients whose
 * write has waited longer than {@code wscluster.session.send-timeout-ms} for their socket (4001). After a
 * partition heals it pings every connection and closes those that do not answer in time.
 */
@ApplicationScoped
public class IdleSweep {

    private static final Logger LOG = Logger.getLogger(IdleSweep.class.getName());
    /** How long a client has to answer the ping sent after a partition healed. */
    static final long PROBE_MILLIS = 5_000;

    @Inject
    Hub hub;

    @Inject
    Schedulers schedulers;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        HubSettings settings = hub.settings();
        long shortest = settings.idleTimeoutMillis() > 0 ? Math.min(settings.idleTimeoutMillis(), settings.sendTimeoutMillis())
                : settings.sendTimeoutMillis();
        long every = Math.max(250, Math.min(5_000, shortest / 4));
        schedulers.shared().scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A client that left while the network was cut could not tell this node: its FIN was lost, and TCP's
     * retransmission backoff may bring it a minute or more after the heal. Until then its connection, and
     * with it its presence and affinity, would stay. Every live client answers a ping within milliseconds.
     */
    void onMembershipChange(@Observes MembershipChange change) {
        if (change.merged()) {
            probe(PROBE_MILLIS);
        }
    }

    /** Pings every connection and closes, after {@code answerWithinMillis}, those not heard from since. */
    void probe(long answerWithinMillis) {
        long probedAt = System.nanoTime();
        List<Connection> probed = hub.snapshot();
        probed.forEach(Connection::ping);
        schedulers.shared().schedule(() -> closeSilentSince(probed, probedAt, answerWithinMillis), answerWithinMillis, TimeUnit.MILLISECONDS);
    }

    private void closeSilentSince(List<Connection> probed, long probedAt, long answerWithinMillis) {
        long now = System.nanoTime();
        int closed = 0;
        for (Connection connection : probed) {
            if (hub.isOpen(connection) && connection.silentNanos(now) > now - probedAt) {
                hub.close(connection, CloseCodes.noPong(answerWithinMillis));
                closed++;
            }
        }
        int count = closed;
        LOG.info(() -> "After the partition healed, pinged " + probed.size() + " connections; closed " + count
                + " that did not answer within " + answerWithinMillis + " ms");
    }

    void sweep() {
        HubSettings settings = hub.settings();
        long now = System.nanoTime();
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
        long sendNanos = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMillis());
        CloseReason idle = CloseCodes.idle(settings.idleTimeoutMillis());
        for (Connection connection : hub.snapshot()) {
            if (connection.writePendingNanos(now) > sendNanos) {
                LOG.info(() -> "Closing slow consumer " + connection.id() + " (user " + connection.user()
                        + "): a write waited longer than " + settings.sendTimeoutMillis() + " ms");
                connection.giveUp("slow-consumer", CloseCodes.slowConsumer("send timed out"));
            } else if (idleNanos > 0 && connection.silentNanos(now) > idleNanos) {
                LOG.fine(() -> "Closing idle connection " + connection.id());
                hub.close(connection, idle);
            }
        }
    }
}
