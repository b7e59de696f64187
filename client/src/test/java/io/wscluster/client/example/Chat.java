package io.wscluster.client.example;

import io.wscluster.client.PublishOptions;
import io.wscluster.client.WsclusterClient;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's README example, runnable against a cluster from {@code payara/cluster.sh up}: subscribes to a
 * channel, publishes one message to it and prints what arrives, until it has received its own message.
 *
 * <pre>
 * ./mvnw -q -pl client exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.wscluster.client.example.Chat \
 *     -Dexec.args="ws://127.0.0.1:8000/ws $(payara/cluster.sh token alice) news"
 * </pre>
 */
public final class Chat {

    private Chat() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Chat WS_URL TOKEN CHANNEL");
            System.exit(2);
        }
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (WsclusterClient client = WsclusterClient.builder()
                .urls(List.of(URI.create(args[0])))
                .token(() -> args[1])                               // asked on every connect and before expiry
                .onMessage(m -> {
                    System.out.println("received on " + m.channel() + ": " + m.data());
                    received.add(m.id());
                })
                .onUnrecovered(channel -> System.out.println("missed messages on " + channel + ": reload its state"))
                .onResubscribeFailed((channel, error) -> System.out.println("no longer subscribed to " + channel + ": " + error))
                .build()) {
            client.connect();
            client.subscribe(args[2]).get(10, TimeUnit.SECONDS);
            String sent = client.publish(args[2], "{\"text\":\"hello from Java\"}", PublishOptions.defaults()).get(10, TimeUnit.SECONDS);
            System.out.println("published " + sent);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (String id; !sent.equals(id = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)); ) {
                if (id == null) {
                    throw new IllegalStateException("the message did not come back within 10 s");
                }
            }
        }
    }
}
