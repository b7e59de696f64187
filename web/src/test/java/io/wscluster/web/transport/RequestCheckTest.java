package io.wscluster.web.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCheckTest {

    @Test
    void everySpellingOfAPathReachesTheSameFirstSegment() {
        for (String path : List.of("/metrics", "//metrics", "///metrics/base", "/./metrics", "/x/../metrics", "/%6detrics",
                "/METRICS", "/metrics;x=y", "/;x/metrics", "/metrics/", "/a/..//metrics")) {
            assertEquals("metrics", RequestCheck.firstSegment(path), path);
        }
        assertEquals("api", RequestCheck.firstSegment("/api/metrics"));
        assertEquals("", RequestCheck.firstSegment("/"));
    }
}
