package io.wscluster.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.balancer.BackendPlan.Wanted;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendPlanTest {

    private static final String OPTIONS = "check inter 500ms fall 2 rise 2";

    /** As HAProxy 2.6 answers {@code show servers state nodes} (columns trimmed after srv_port's neighbours). */
    private static final String STATE = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
            3 nodes 1 node-1 127.0.0.1 2 0 100 100 8 15 3 2 6 0 0 0 - 8081 - 0 0 - - 0
            3 nodes 2 node-2 127.0.0.1 0 1 100 100 8 15 3 2 6 0 0 0 - 8082 - 0 0 - - 0
            """;

    @Test
    void parsesServerStateByColumnName() {
        List<BackendServer> servers = BackendServer.parse(STATE);
        assertEquals(List.of(new BackendServer("node-1", "127.0.0.1", 8081, false, true, 100),
                new BackendServer("node-2", "127.0.0.1", 8082, true, false, 100)), servers);
    }

    @Test
    void emptyBackendHasNoServers() {
        assertTrue(BackendServer.parse("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_port\n").isEmpty());
    }

    @Test
    void aJoinedNodeIsAddedWithChecksAndEnabledOnceReady() {
        assertEquals(List.of("add server nodes/node-3 127.0.0.1:8083 " + OPTIONS + " weight 100", "enable health nodes/node-3",
                        "set server nodes/node-3 state ready", "set server nodes/node-3 health down"),
                BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-3", "127.0.0.1", 8083, true, false)), List.of()));
        assertEquals(List.of("add server nodes/node-3 127.0.0.1:8083 " + OPTIONS + " weight 100", "enable health nodes/node-3"),
                BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-3", "127.0.0.1", 8083, false, false)), List.of()));
    }

    @Test
    void aNodeNoLongerReadyGoesToMaintenanceAndBackWhenReady() {
        List<BackendServer> actual = BackendServer.parse(STATE);
        assertEquals(List.of("set server nodes/node-1 state maint", "set server nodes/node-2 state ready",
                "set server nodes/node-2 health down"),
                BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-1", "127.0.0.1", 8081, false, false),
                        new Wanted("node-2", "127.0.0.1", 8082, true, false)), actual));
    }

    /** Maintenance would cut its sessions (on-marked-down shutdown-sessions): the drain closes them in waves instead. */
    @Test
    void aDrainingNodeGoesToDrainWhichKeepsItsSessionsAndBackWhenReady() {
        List<BackendServer> actual = BackendServer.parse(STATE);
        assertEquals(List.of("set server nodes/node-1 state drain"),
                BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-1", "127.0.0.1", 8081, false, false, true),
                        new Wanted("node-2", "127.0.0.1", 8082, false, false)), actual));
        List<BackendServer> drained = BackendServer.parse(STATE.replace("node-1 127.0.0.1 2 0 100", "node-1 127.0.0.1 2 8 100"));
        assertTrue(drained.get(0).draining() && !drained.get(0).maintenance(), drained::toString);
        assertEquals(List.of(), BackendPlan.commands("nodes", OPTIONS, Set.of(),
                List.of(new Wanted("node-1", "127.0.0.1", 8081, false, false, true), new Wanted("node-2", "127.0.0.1", 8082, false, false)), drained));
        assertEquals(List.of("set server nodes/node-1 state ready", "set server nodes/node-1 health down"), BackendPlan.commands("nodes", OPTIONS,
                Set.of(), List.of(new Wanted("node-1", "127.0.0.1", 8081, true, false), new Wanted("node-2", "127.0.0.1", 8082, false, false)), drained));
    }

    @Test
    void aNodeInTheViewIsNeverCutOffForMissingFromTheRegistry() {
        // After a merge, the coordinator's registry may still be its side's: the other side's nodes are
        // missing from it for a moment, but they are in the view.
        assertEquals(List.of(), BackendPlan.commands("nodes", OPTIONS, Set.of("node-1", "node-2"),
                List.of(new Wanted("node-2", "127.0.0.1", 8082, false, false)), BackendServer.parse(STATE)));
    }

    @Test
    void aGoneNodeIsCutOffAndDeleted() {
        assertEquals(List.of("set server nodes/node-1 state maint", "shutdown sessions server nodes/node-1", "del server nodes/node-1"),
                BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-2", "127.0.0.1", 8082, false, false)),
                        BackendServer.parse(STATE)));
    }

    @Test
    void nothingToDoWhenInStep() {
        assertTrue(BackendPlan.commands("nodes", OPTIONS, Set.of(), List.of(new Wanted("node-1", "127.0.0.1", 8081, true, false),
                new Wanted("node-2", "127.0.0.1", 8082, false, false)), BackendServer.parse(STATE)).isEmpty());
    }

    @Test
    void aMovedNodeGetsItsNewAddress() {
        assertEquals(List.of("set server nodes/node-1 addr 127.0.0.2 port 9081"), BackendPlan.commands("nodes", OPTIONS, Set.of(),
                List.of(new Wanted("node-1", "127.0.0.2", 9081, true, false), new Wanted("node-2", "127.0.0.1", 8082, false, false)),
                BackendServer.parse(STATE)));
    }

    @Test
    void anOverloadedNodeKeepsATenthOfItsWeightUntilItCatchesUp() {
        assertEquals(List.of("set server nodes/node-1 weight 10"), BackendPlan.commands("nodes", OPTIONS, Set.of(),
                List.of(new Wanted("node-1", "127.0.0.1", 8081, true, true), new Wanted("node-2", "127.0.0.1", 8082, false, false)),
                BackendServer.parse(STATE)));
        List<BackendServer> light = List.of(new BackendServer("node-1", "127.0.0.1", 8081, false, true, 10));
        assertEquals(List.of("set server nodes/node-1 weight 100"), BackendPlan.commands("nodes", OPTIONS, Set.of(),
                List.of(new Wanted("node-1", "127.0.0.1", 8081, true, false)), light));
    }

    @Test
    void serverNamesKeepOnlyWhatHaproxyAccepts() {
        assertEquals("node-1", BackendPlan.serverName("node-1"));
        assertEquals("pod_7_a", BackendPlan.serverName("pod/7 a"));
        assertFalse(BackendPlan.serverName("a b").contains(" "));
    }
}
