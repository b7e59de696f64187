package io.wscluster.hub;

import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Closes a set of connections in waves spread over some time rather than all at once, so the rest of the
 * cluster receives their reconnects gradually. Draining and rebalancing use it.
 */
@ApplicationScoped
public class WaveCloser {

    @Inject
    Hub hub;

    @Inject
    Schedulers schedulers;

    /**
     * Wave {@code k} (of {@code waves}, one every spread / waves, the first after {@code firstAfterMillis})
     * closes an even share of what is still open: 1 / (waves - k) of what {@code remaining} then returns.
     */
    public void close(Supplier<List<Connection>> remaining, int waves, long spreadMillis, long firstAfterMillis,
            CloseReason reason) {
        int count = Math.max(1, waves);
        long step = Math.max(1, spreadMillis / count);
        for (int wave = 0; wave < count; wave++) {
            int wavesLeft = count - wave;
            schedulers.shared().schedule(() -> closeShare(remaining.get(), wavesLeft, reason),
                    firstAfterMillis + wave * step, TimeUnit.MILLISECONDS);
        }
    }

    private void closeShare(List<Connection> open, int wavesLeft, CloseReason reason) {
        int share = (open.size() + wavesLeft - 1) / wavesLeft;
        open.subList(0, share).forEach(connection -> hub.close(connection, reason));
    }
}
