package io.wscluster.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.hub.DeliveryContract.Client;
import io.wscluster.hub.HubDeliveryTest.LocalFixture;
import io.wscluster.schedule.Schedulers;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe after a partition heals: a connection whose peer is gone is closed (4002), a live one stays. */
class IdleSweepTest {

    @Test
    void afterTheNetworkHealsAConnectionThatDoesNotAnswerThePingIsClosedAndALiveOneStays() throws Exception {
        LocalFixture fixture = new LocalFixture();
        Client gone = fixture.connect("ann", false);
        Client live = fixture.connect("bob", true);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            IdleSweep sweep = new IdleSweep();
            sweep.hub = fixture.hub();
            sweep.schedulers = new Schedulers() {
                @Override
                public ScheduledExecutorService shared() {
                    return timer;
                }
            };
            sweep.probe(200);
            timer.schedule(() -> null, 300, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS); // runs after the probe's check
            assertEquals(4002, gone.closeCode().orElse(0), "the silent connection is closed: no pong");
            assertTrue(live.closeCode().isEmpty(), "the connection that answered stays open");
        } finally {
            timer.shutdownNow();
        }
    }
}
