package io.wscluster.it;

import io.wscluster.api.Priority;
import io.wscluster.hub.DeliveryContract;
import io.wscluster.it.support.Await;
import io.wscluster.it.support.Metrics;
import io.wscluster.it.support.Node;
import io.wscluster.it.support.RawWebSocket;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery contract (the same suite the hub passes in milliseconds with the local-only bus) against
 * three Payara Micro instances, each running the WAR the build produced, over the clustered bus.
 * Publishes go through each node's REST API; clients are raw sockets with a small receive buffer, so one
 * that stops reading backs its frames up on its node at once.
 */
@ExtendWith(ArquillianExtension.class)
class ClusterDeliveryIT extends DeliveryContract {

    private static final List<Node> NODES = List.of(Node.atPort(18081), Node.atPort(18082), Node.atPort(18083));
    private static final JsonProvider JSON = JsonProvider.provider();

    @Deployment(name = "cluster-1", testable = false)
    @TargetsContainer("cluster-1")
    static WebArchive node1() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-2", testable = false)
    @TargetsContainer("cluster-2")
    static WebArchive node2() {
        return Node.builtWar();
    }

    @Deployment(name = "cluster-3", testable = false)
    @TargetsContainer("cluster-3")
    static WebArchive node3() {
        return Node.builtWar();
    }

    @Override
    protected Fixture createFixture() {
        for (Node node : NODES) {
            Await.until(() -> node.readyNodeIds().size() == NODES.size(), () -> node + " sees " + node.readyNodeIds());
        }
        return new ClusterFixture();
    }

    static final class ClusterFixture implements Fixture {

        @Override
        public int nodes() {
            return NODES.size();
        }

        @Override
        public Client connect(int node, String user) {
            return new SocketClient(NODES.get(node), RawWebSocket.connect(NODES.get(node).wsUri(user), 8 * 1024));
        }

        @Override
        public String publish(int node, String channel, String json, Priority priority) {
            return id(NODES.get(node).postJson("/api/channels/" + channel + "/messages"
                    + (priority == Priority.HIGH ? "?priority=high" : ""), json));
        }

        @Override
        public String sendToUser(int node, String user, String json) {
            return id(NODES.get(node).postJson("/api/users/" + user + "/messages", json));
        }

        @Override
        public int[] backlog() {
            // 400 x 32 KiB: more than the node's socket send buffer (at most 4 MiB here), Grizzly's write
            // queue and the client's 8 KiB receive window hold; fewer than its outbound queue (1,024 frames).
            return new int[] {400, 32 * 1024};
        }

        @Override
        public Duration patience() {
            return Duration.ofSeconds(60);
        }

        @Override
        public void close() {
        }

        private static String id(HttpResponse<String> response) {
            if (response.statusCode() != 202) {
                throw new AssertionError(response.statusCode() + " " + response.body());
            }
            return Node.json(response).getString("id");
        }
    }

    /** A raw socket client whose reader can be held, so frames back up on the server. */
    static final class SocketClient implements Client {
        private final Node node;
        private final RawWebSocket socket;
        private final List<JsonObject> messages = new ArrayList<>();
        private final List<JsonObject> replies = new ArrayList<>();
        private final Semaphore reading = new Semaphore(1);
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();

        SocketClient(Node node, RawWebSocket socket) {
            this.node = node;
            this.socket = socket;
            if (!socket.upgraded()) {
                throw new AssertionError("handshake: " + socket.handshakeStatus());
            }
            Thread reader = new Thread(this::readLoop, "contract-reader");
            reader.setDaemon(true);
            reader.start();
            request("{\"type\":\"ping\",\"id\":\"hello\"}", "hello"); // the node has registered the connection
        }

        private void readLoop() {
            try {
                while (true) {
                    reading.acquireUninterruptibly(); // held while stalled
                    reading.release();
                    RawWebSocket.Frame frame = socket.read();
                    if (frame.opcode() == RawWebSocket.CLOSE) {
                        closed.complete(frame.closeCode());
                        return;
                    }
                    JsonObject parsed = JSON.createReader(new StringReader(frame.text())).readObject();
                    synchronized (this) {
                        ("message".equals(parsed.getString("type")) ? messages : replies).add(parsed);
                        notifyAll();
                    }
                }
            } catch (RuntimeException e) {
                closed.complete(1006);
            }
        }

        private synchronized void request(String frame, String id) {
            socket.sendText(frame);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (replies.stream().noneMatch(r -> id.equals(r.getString("id", null)))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no reply to " + frame + "; replies " + replies);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void subscribe(String channel) {
            request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":\"s-" + channel + "\"}", "s-" + channel);
        }

        @Override
        public void subscribe(String channel, String epoch, long offset) {
            request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":\"r-" + channel + "\",\"since\":{\"epoch\":\""
                    + epoch + "\",\"offset\":" + offset + "}}", "r-" + channel);
        }

        @Override
        public synchronized List<JsonObject> messages() {
            return List.copyOf(messages);
        }

        @Override
        public synchronized List<JsonObject> replies() {
            return List.copyOf(replies);
        }

        @Override
        public void stall() {
            reading.acquireUninterruptibly();
        }

        @Override
        public void resume() {
            reading.release();
        }

        /** Read from the node's metrics: its outbound queues hold nothing but this client's frames meanwhile. */
        @Override
        public void awaitServerBacklog(int frames) {
            Await.until(() -> Metrics.scrape(node).value("wscluster_outbound_queued") >= frames,
                    () -> node + " queues " + Metrics.scrape(node).value("wscluster_outbound_queued") + " frames");
        }

        @Override
        public OptionalInt closeCode() {
            Integer code = closed.getNow(null);
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
