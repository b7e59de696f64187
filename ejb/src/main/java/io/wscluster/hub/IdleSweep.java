package io.wscluster.hub;

import io.wscluster.protocol.CloseCodes;
import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes connections that sent nothing (not even a ping) for {@code wscluster.session.idle-timeout-ms}
 * (dead peers, forgotten tabs; the transport's own idle timeout is off), and gives up on clients whose
 * write has waited longer than {@code wscluster.session.send-timeout-ms} for their socket (4001).
 */
@ApplicationScoped
public class IdleSweep {

    private static final Logger LOG = Logger.getLogger(IdleSweep.class.getName());

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
