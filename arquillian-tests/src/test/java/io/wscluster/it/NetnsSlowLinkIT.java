package io.wscluster.it;

import static io.wscluster.it.support.NetnsCluster.THREE_READY;
import static io.wscluster.it.support.NetnsCluster.quietly;
import static io.wscluster.it.support.NetnsCluster.toolReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.NetnsCluster;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes as separate hosts (payara/netns.sh) with a slow link between node-1 and node-2: every byte
 * either way 200 ms late, give or take 50 ms (payara/slowlink.py; this kernel has no netem). Both the
 * JGroups and the Hazelcast connections between the two cross it. Clients through HAProxy, subscribed to
 * channels with history and presence and publishing over their sockets, lose nothing, receive nothing twice,
 * and get each publisher's messages in the order it sent them, while the deliveries that cross the link
 * arrive late by its delay; a publish refused meanwhile (an append that ran out of time) reaches nobody.
 * Needs root; skipped otherwise.
 */
class NetnsSlowLinkIT {

    @RegisterExtension
    static final NetnsCluster CLUSTER = new NetnsCluster("wssl-", "netns-slow", Map.of("WSCLUSTER_NETNS_SLOW", "1-2:200:50"),
            "slowlink/node-1.log", "slowlink/node-2.log");

    @Test
    void aSlowLinkBetweenTwoNodesLosesNothingAndKeepsEachPublishersOrder() throws Exception {
        Await.until(Duration.ofSeconds(120), () -> quietly(() -> CLUSTER.registry(1).equals(THREE_READY) && CLUSTER.registry(2).equals(THREE_READY)),
                () -> "the nodes on both ends of the slow link see all three: " + quietly(() -> CLUSTER.registry(1)) + " "
                        + quietly(() -> CLUSTER.registry(2)));
        // Each relay logs the connections it carries: node-1's go to node-2 and back, JGroups (78xx) and Hazelcast (69xx).
        String relayed = Files.readString(CLUSTER.run().resolve("slowlink/node-1.log")) + Files.readString(CLUSTER.run().resolve("slowlink/node-2.log"));
        assertTrue(relayed.matches("(?s).*:78\\d\\d relayed.*") && relayed.matches("(?s).*:69\\d\\d relayed.*"),
                () -> "JGroups and Hazelcast both cross the slow link:\n" + relayed);

        JsonObject report = toolReport(CLUSTER.startTool("netns-slow", "--connections=90", "--channels=uniform:3", "--subscriptions=2",
                "--rate=30", "--publishers=3", "--duration=30s", "--drain-timeout=20s"), "netns-slow", 240);
        JsonObject messages = report.getJsonObject("messages");
        assertTrue(messages.getJsonNumber("expected").longValue() > 30_000, messages::toString);
        assertEquals(0, messages.getJsonNumber("lost").longValue(), messages::toString);
        assertEquals(0, messages.getJsonNumber("duplicates").longValue(), messages::toString);
        assertEquals(0, messages.getJsonNumber("outOfOrder").longValue(), () -> "each publisher's order holds: " + messages);
        // Appends from the far node can lose race after race and be refused for time (INTERNAL, "publish it
        // again"); what was refused was not stored, so nobody receives it.
        assertEquals(messages.getJsonNumber("expected").longValue(), messages.getJsonNumber("distinct").longValue(),
                () -> "only acknowledged messages are delivered: " + messages);
        // Publishers and subscribers are spread over the three nodes: more than a percent of the deliveries
        // go from node-1 to node-2 or back, and each of those is at least 150 ms late.
        JsonObject latency = report.getJsonObject("latencyMs");
        assertTrue(latency.getJsonNumber("p99").doubleValue() >= 150, () -> "deliveries across the link are late by its delay: " + latency);
    }
}
