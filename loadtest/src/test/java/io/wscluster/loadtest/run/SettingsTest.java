package io.wscluster.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wscluster.loadtest.run.Options;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsForASmallRun() {
        Settings s = Settings.from(Options.parse());
        assertEquals(List.of(URI.create("ws://127.0.0.1:8000/ws")), s.targets());
        assertEquals(1000, s.connections());
        assertEquals(1, s.processes());
        assertEquals(List.of(), s.sourceAddresses());
        assertEquals(0, s.publishers());
        assertEquals(Duration.ofSeconds(30), s.duration());
    }

    @Test
    void largeRunsSpreadOverProcessesAndAddresses() {
        Settings s = Settings.from(Options.parse("--connections=60000", "--rate=1200"));
        assertEquals(4, s.processes(), "15,000 per process");
        assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), s.sourceAddresses(), "25,000 per address");
        assertEquals(3, s.publishers(), "500 msgs/s per socket publisher");
    }

    @Test
    void targetsAcceptHttpAndBareHosts() {
        Settings s = Settings.from(Options.parse("--targets=http://127.0.0.1:8080,ws://127.0.0.1:8081/ws"));
        assertEquals(List.of(URI.create("ws://127.0.0.1:8080/ws"), URI.create("ws://127.0.0.1:8081/ws")), s.targets());
    }

    @Test
    void workersGetTheResolvedValues() {
        Settings s = Settings.from(Options.parse("--connections=20000", "--rate=100"));
        Settings worker = Settings.from(s.toOptions(Options.parse("--connections=20000", "--rate=100")));
        assertEquals(s.runId(), worker.runId());
        assertEquals(s.processes(), worker.processes());
        assertEquals(s.publishers(), worker.publishers());
        assertEquals(s.sourceAddresses(), worker.sourceAddresses());
    }

    @Test
    void theInFlightBoundIsSharedBetweenProcesses() {
        assertEquals(0, Settings.from(Options.parse("--connections=60000")).maxInFlightPerProcess(), "no bound");
        assertEquals(75, Settings.from(Options.parse("--connections=60000", "--max-in-flight=300")).maxInFlightPerProcess(),
                "4 processes");
        assertEquals(1, Settings.from(Options.parse("--processes=4", "--max-in-flight=2")).maxInFlightPerProcess(),
                "at least one each");
    }

    @Test
    void badOptionsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--conections=5"));
        assertThrows(IllegalArgumentException.class, () -> Settings.from(Options.parse("--publish-via=carrier-pigeon")));
        assertThrows(IllegalArgumentException.class, () -> Settings.from(Options.parse("--targets=tcp://x")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--duration=soon").duration("duration", null));
        assertEquals(Duration.ofMillis(1500), Options.parse("--warmup=1.5s").duration("warmup", null));
        assertEquals(Duration.ofMinutes(2), Options.parse("--duration=2m").duration("duration", null));
        assertEquals(Duration.ofMillis(250), Options.parse("--duration=250ms").duration("duration", null));
    }
}
