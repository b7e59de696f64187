package io.wscluster.it;

import static io.wscluster.it.support.DeliveryAssertions.assertNotDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.publisher.PublishServlet;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.WsClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another application on the same instance publishes through the broadcast EJB, with and without a JTA
 * transaction of its own. The container deploys the built WAR beside this test's second WAR, with the
 * API jar on the shared class loader.
 */
@ExtendWith(ArquillianExtension.class)
class BroadcastEjbIT {

    private static final Node NODE = Node.underTest();

    @Deployment(testable = false)
    @TargetsContainer("node-with-second-app")
    static WebArchive secondApplication() {
        // Only the servlet: BroadcastService and its exception come from the shared class loader.
        return ShrinkWrap.create(WebArchive.class, "publisher.war").addClass(PublishServlet.class);
    }

    @Test
    void ejbPublishReachesEverySubscriberAndOnlyThem() {
        try (WsClient alice = WsClient.connect(NODE, "alice").subscribe("news");
             WsClient bob = WsClient.connect(NODE, "bob").subscribe("news");
             WsClient carol = WsClient.connect(NODE, "carol").subscribe("alerts")) {
            String id = callEjb("channel=news&data=" + encode("{\"from\":\"ejb\"}"));
            assertEquals("ejb", alice.awaitMessage(id).getJsonObject("data").getString("from"));
            assertEquals("ejb", bob.awaitMessage(id).getJsonObject("data").getString("from"));
            assertNotDelivered(NODE, carol, id);
        }
    }

    @Test
    void ejbSendToUserReachesThatUser() {
        try (WsClient dora = WsClient.connect(NODE, "dora")) {
            String id = callEjb("user=dora&data=" + encode("\"direct\""));
            assertEquals("direct", dora.awaitMessage(id).getString("data"));
        }
    }

    @Test
    void aPublishInsideATransactionIsDeliveredAtItsCommit() {
        try (WsClient erin = WsClient.connect(NODE, "erin").subscribe("room.tx")) {
            // Published in the transaction first, then outside it while the transaction is still open.
            String[] ids = callEjb("channel=room.tx&tx=commit&data=" + encode("\"in the transaction\"")
                    + "&before=" + encode("\"outside, before the commit\"")).split(",");
            erin.awaitMessage(ids[0]);
            List<String> order = erin.seen().stream().filter(f -> "message".equals(f.getString("type")))
                    .map(f -> f.getString("id")).toList();
            assertEquals(List.of(ids[1], ids[0]), order, "the transaction's message waited for its commit");
        }
    }

    @Test
    void aPublishInsideATransactionThatRollsBackIsNeverDelivered() {
        try (WsClient fred = WsClient.connect(NODE, "fred").subscribe("room.tx")) {
            String id = callEjb("channel=room.tx&tx=rollback&data=" + encode("\"rolled back\""));
            assertNotDelivered(NODE, fred, id);
        }
    }

    @Test
    void theServerApiOnTheEjbBroadcastsDisconnectsAndCounts() {
        try (WsClient gwen = WsClient.connect(NODE, "gwen").subscribe("news"); WsClient hal = WsClient.connect(NODE, "hal")) {
            hal.subscribe("room.ejb");
            assertEquals("1", callEjb("op=info&channel=news"));
            String[] results = callEjb("op=broadcast&channels=news,room.ejb,secret&data=" + encode("\"to all\"")).split("\n");
            assertEquals(3, results.length);
            assertTrue(results[2].endsWith("UNKNOWN_CHANNEL"), results[2]);
            String newsId = results[0].split(" ")[1];
            assertEquals(newsId, gwen.await(f -> "message".equals(f.getString("type")), "message").getString("id"));
            assertEquals("ok", callEjb("op=disconnect&user=hal&code=4500"));
            assertEquals(4500, hal.awaitClose());
        }
    }

    @Test
    void ejbRejectionsReachTheCallerWithTheirCode() {
        assertEquals("400 UNKNOWN_CHANNEL", status("channel=secret&data=1"));
        assertEquals("400 INVALID_DATA", status("channel=news&data=" + encode("{not json")));
        assertEquals("400 INVALID_USER", status("user=" + encode("no spaces") + "&data=1"));
    }

    private static String callEjb(String query) {
        HttpResponse<String> response = NODE.get("/publisher/publish?" + query);
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    private static String status(String query) {
        HttpResponse<String> response = NODE.get("/publisher/publish?" + query);
        return response.statusCode() + " " + response.body();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
