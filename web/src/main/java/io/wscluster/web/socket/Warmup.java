package io.wscluster.web.socket;

import io.wscluster.channel.ChannelCatalog;
import io.wscluster.hub.Hub;
import io.wscluster.lifecycle.NodeLifecycle;
import io.wscluster.lifecycle.WarmupSettings;
import io.wscluster.registry.LocalNode;
import io.wscluster.security.TokenVerifier;
import io.wscluster.web.guard.HandshakeSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Warms this node up before it turns READY ({@link WarmupSettings}): rounds of loopback clients connect to
 * its own {@code /ws}, subscribe to the node's warm-up channel and receive what they publish there, through
 * the handshake, frames, publisher, bus and fan-out every client's traffic takes; tokens are verified
 * in-process where the node has an HMAC secret. A fresh JVM compiles these paths on its first traffic, which
 * the first clients would otherwise wait for. Runs on the deployment's thread once {@link SocketServer} serves
 * {@code /ws}, so a deployment ends warm. Its clients act as the server with no user, on a channel without
 * history or presence, and obey the per-address handshake limits: they leave no affinity, presence, history
 * or limit behind; a node's counters (connections, messages) do include them.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
    private static final int MAX_TOKENS = 1_000;

    @Inject
    SocketServer server;

    @Inject
    NodeLifecycle lifecycle;

    @Inject
    LocalNode node;

    @Inject
    Hub hub;

    @Inject
    TokenVerifier tokens;

    @Inject
    Config config;

    /** After {@link SocketServer#start}, whatever happens: the node is READY when this returns. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1100) @Initialized(ApplicationScoped.class)
            ServletContext context) {
        WarmupSettings settings = WarmupSettings.from(config);
        try {
            if (lifecycle.awaitsWarmup()) { // false when the warm-up is off
                server.warmupUri().ifPresentOrElse(uri -> warmUp(uri, settings),
                        () -> LOG.info("No plain HTTP listener to warm up through; READY without a warm-up"));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The warm-up failed; READY anyway", e);
        } finally {
            server.endWarmup();
            lifecycle.warmedUp();
        }
    }

    private void warmUp(URI uri, WarmupSettings settings) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.maxMillis());
        HandshakeSettings limits = HandshakeSettings.from(config);
        // Half the address's allowance at most: a round's sockets are given back as their closes complete.
        int perRound = limits.maxConnectionsPerAddress() > 0
                ? Math.min(settings.connections(), Math.max(1, limits.maxConnectionsPerAddress() / 2)) : settings.connections();
        Pacer pacer = new Pacer(limits.maxHandshakesPerSecond());
        String channel = ChannelCatalog.warmupChannel(node.id());
        // As many tokens as the rounds have clients, up to what the JIT needs; each takes tens of microseconds.
        int verified = tokens.warmUp((int) Math.min(MAX_TOKENS, (long) settings.rounds() * perRound));
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "wscluster-warmup");
            thread.setDaemon(true);
            return thread;
        });
        int connected = 0;
        long delivered = 0;
        long expected = 0;
        int rounds = 0;
        try {
            HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
            while (rounds < settings.rounds() && System.nanoTime() < deadline) {
                Round round = new Round(channel, perRound, settings.messages());
                int opened = round.run(http, uri, pacer, deadline);
                rounds++;
                connected += opened;
                delivered += round.delivered();
                expected += (long) opened * settings.messages();
                if (opened == 0 || round.errors.get() > 0) {
                    LOG.warning("The warm-up stopped after round " + rounds + ": " + opened + " of " + perRound
                            + " clients connected" + (round.firstError == null ? "" : ", an error: " + round.firstError));
                    break;
                }
                awaitGone(deadline);
            }
        } finally {
            executor.shutdownNow();
        }
        awaitGone(deadline);
        pacer.awaitFreshSecond();
        LOG.info("Warmed up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + rounds + " rounds, "
                + connected + " connections, " + delivered + " of " + expected + " deliveries, " + verified + " tokens verified");
    }

    /** Until the hub has let go of the warm-up's connections (their close reached it), or the deadline. */
    private void awaitGone(long deadline) {
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        while (hub.connections() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Keeps the warm-up's handshakes within {@code wscluster.handshake.max-per-second-per-address} (counted per
     * second of the clock, as the guard counts them), and lets that second pass before clients arrive.
     */
    private static final class Pacer {
        private final int perSecond;
        private long second;
        private int inSecond;

        Pacer(int perSecond) {
            this.perSecond = perSecond;
        }

        void beforeHandshake() {
            if (perSecond <= 0) {
                return;
            }
            long now = System.currentTimeMillis() / 1000;
            if (now != second) {
                second = now;
                inSecond = 0;
            }
            if (inSecond >= perSecond) {
                sleepUntil((second + 1) * 1000);
                second++;
                inSecond = 0;
            }
            inSecond++;
        }

        void awaitFreshSecond() {
            if (perSecond > 0 && inSecond > 0) {
                sleepUntil((second + 1) * 1000);
            }
        }

        private static void sleepUntil(long millis) {
            long wait = millis - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One round: clients connect, subscribe, publish {@code messages} among them, each receives all, they leave. */
    private static final class Round {
        private final String channel;
        private final int clients;
        private final int messages;
        private final CountDownLatch subscribed;
        private final CountDownLatch deliveries;
        private final AtomicLong received = new AtomicLong();
        private final AtomicInteger errors = new AtomicInteger();
        private volatile String firstError;

        Round(String channel, int clients, int messages) {
            this.channel = channel;
            this.clients = clients;
            this.messages = messages;
            this.subscribed = new CountDownLatch(clients);
            this.deliveries = new CountDownLatch(clients * messages);
        }

        long delivered() {
            return received.get();
        }

        /** @return how many clients connected */
        int run(HttpClient http, URI uri, Pacer pacer, long deadline) {
            List<CompletableFuture<WebSocket>> connecting = new ArrayList<>();
            List<Client> listeners = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                pacer.beforeHandshake();
                Client client = new Client(this);
                listeners.add(client);
                connecting.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, client));
            }
            List<WebSocket> open = new ArrayList<>();
            List<Client> connected = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                CompletableFuture<WebSocket> attempt = connecting.get(i);
                try {
                    open.add(attempt.get(remaining(deadline), TimeUnit.NANOSECONDS));
                    connected.add(listeners.get(i));
                } catch (Exception e) {
                    failed("connect: " + e);
                    attempt.thenAccept(WebSocket::abort); // one that opens after all must not stay open
                }
            }
            try {
                for (WebSocket socket : open) {
                    within(deadline, socket.sendText("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":0}", true));
                }
                // Clients that did not connect subscribe nothing and receive nothing.
                for (int i = open.size(); i < clients; i++) {
                    subscribed.countDown();
                }
                if (!subscribed.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    failed("not every client was subscribed in time");
                    return open.size();
                }
                for (int i = 0; i < messages && !open.isEmpty(); i++) {
                    within(deadline, open.get(i % open.size()).sendText("{\"type\":\"publish\",\"channel\":\"" + channel
                            + "\",\"data\":{\"warmup\":" + i + "},\"id\":" + (i + 1) + "}", true));
                }
                long missing = (long) (clients - open.size()) * messages;
                for (long i = 0; i < missing; i++) {
                    deliveries.countDown();
                }
                if (!deliveries.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    failed(deliveries.getCount() + " deliveries missing at the deadline");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                failed("exchange: " + e);
            } finally {
                for (WebSocket socket : open) {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "warmed up");
                }
                for (Client client : connected) {
                    try {
                        client.closed.get(Math.min(remaining(deadline), TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                    } catch (Exception e) {
                        // not closed in time: aborted below
                    }
                }
                open.forEach(WebSocket::abort);
            }
            return open.size();
        }

        /** A send completed before the deadline; a socket that takes longer would hold up the deployment. */
        private static void within(long deadline, CompletableFuture<?> send)
                throws InterruptedException, ExecutionException, TimeoutException {
            send.get(remaining(deadline), TimeUnit.NANOSECONDS);
        }

        void heard(String frame) {
            if (frame.contains("\"type\":\"message\"")) {
                received.incrementAndGet();
                deliveries.countDown();
            } else if (frame.contains("\"type\":\"subscribed\"")) {
                subscribed.countDown();
            } else if (frame.contains("\"type\":\"error\"")) {
                failed(frame);
            }
        }

        void failed(String why) {
            if (errors.getAndIncrement() == 0) {
                firstError = why;
            }
        }

        private static long remaining(long deadline) {
            return Math.max(0, deadline - System.nanoTime());
        }
    }

    /** A warm-up client's side of its socket: hands every complete text frame to its round. */
    private static final class Client implements WebSocket.Listener {
        private final Round round;
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Client(Round round) {
            this.round = round;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                round.heard(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete(null);
        }
    }
}
