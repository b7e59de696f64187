package io.wscluster.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings withQuorum(int quorum) {
        return new ClusterSettings("wscluster-infinispan.xml", new Properties(), quorum);
    }

    @Test
    void aViewHoldsTheQuorumFromItsSizeOnAndANodeCutOffAloneDoesNot() {
        assertTrue(withQuorum(2).quorate(2));
        assertTrue(withQuorum(2).quorate(3));
        assertFalse(withQuorum(2).quorate(1), "a node cut off from the others is alone in its view");
        assertTrue(withQuorum(1).quorate(1), "without a quorum configured, a lone node counts");
        assertThrows(IllegalArgumentException.class, () -> withQuorum(0));
    }
}
