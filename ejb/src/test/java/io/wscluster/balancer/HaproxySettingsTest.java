package io.wscluster.balancer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HaproxySettingsTest {

    private static HaproxySettings withQuorum(int quorum) {
        return new HaproxySettings(Optional.of("unix:/tmp/haproxy.sock"), "nodes", Optional.empty(), "check", 1000, quorum);
    }

    @Test
    void onlyTheCoordinatorOfAQuorumDrivesHaproxy() {
        assertTrue(withQuorum(2).drives(true, 2));
        assertTrue(withQuorum(2).drives(true, 3));
        assertFalse(withQuorum(2).drives(true, 1), "a node cut off from the others is the coordinator of a view of one");
        assertFalse(withQuorum(2).drives(false, 3));
        assertTrue(withQuorum(1).drives(true, 1), "without a quorum configured, a lone node still drives");
    }
}
