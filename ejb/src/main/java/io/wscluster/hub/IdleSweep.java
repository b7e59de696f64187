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
 * Closes connections that sent nothing (not even a ping) for {@code wscluster.session.idle-timeout-ms}:
 * dead peers and forgotten tabs. The transport's own idle timeout is off; this sweep replaces it.
 */
@ApplicationScoped
public class IdleSweep {

    private static final Logger LOG = Logger.getLogger(IdleSweep.class.getName());

    @Inject
    Hub hub;

    @Inject
    Schedulers schedulers;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long timeout = hub.settings().idleTimeoutMillis();
        if (timeout <= 0) {
            return;
        }
        long every = Math.max(250, Math.min(5_000, timeout / 4));
        schedulers.shared().scheduleWithFixedDelay(() -> sweep(TimeUnit.MILLISECONDS.toNanos(timeout)),
                every, every, TimeUnit.MILLISECONDS);
    }

    void sweep(long timeoutNanos) {
        long now = System.nanoTime();
        CloseReason reason = CloseCodes.idle(hub.settings().idleTimeoutMillis());
        for (Connection connection : hub.snapshot()) {
            if (connection.silentNanos(now) > timeoutNanos) {
                LOG.fine(() -> "Closing idle connection " + connection.id());
                hub.close(connection, reason);
            }
        }
    }
}
