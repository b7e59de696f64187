package io.wscluster.loadtest.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wscluster.loadtest.measure.Clock;
import io.wscluster.loadtest.measure.MessageId;
import io.wscluster.loadtest.measure.StreamTracker;
import io.wscluster.loadtest.measure.Tallies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated client: connects as its user, subscribes to its channels, reconnects (250 ms backoff
 * halved at random, doubling to 4 s, moving to the next target) and resubscribes after every loss, as
 * the wscluster clients do, from the last position on channels that keep history; counts what it
 * receives per publisher stream, and what was replayed to it. Publishers use it without channels. All state is touched only on the connection's event-loop thread, except {@link #send}.
 */
public final class BenchSocket {

    private final RunContext run;
    private final int index;
    private final String user;
    private final int[] channels;
    private int target;
    private long backoffMillis = 250;
    private volatile Channel channel;
    private volatile boolean ready;
    private boolean everReady;
    private boolean affected;
    private int reconnects;
    private long lostAtMicros;
    private long attemptStartMicros;
    /** Whether this socket holds a place in {@link RunContext#admission} (from its attempt's start until it ends). */
    private boolean admitted;
    private long openedMicros;
    private int pendingSubscriptions;
    /** Per subscribed channel that keeps history: the stream's epoch and the last offset received. */
    private final String[] epochs;
    private final long[] offsets;
    /** Per channel: messages up to this offset are replayed ones (after a recovered resubscribe). */
    private final long[] replayUntil;
    /** Set once when measurement begins, if this connection was subscribed then: only those count for loss. */
    private volatile StreamTracker[] streams;

    public BenchSocket(RunContext run, int index, String user, int[] channels) {
        this.run = run;
        this.index = index;
        this.user = user;
        this.channels = channels;
        this.target = index % run.connector.targetCount();
        this.epochs = new String[channels.length];
        this.offsets = new long[channels.length];
        this.replayUntil = new long[channels.length];
    }

    public void connect() {
        if (!run.stopping) {
            run.admission.enter(this::attempt);
        }
    }

    private void attempt() {
        admitted = true;
        if (run.stopping) {
            leaveAdmission();
            return;
        }
        run.tallies.connectAttempts.increment();
        attemptStartMicros = Clock.micros();
        run.connector.connect(index, target, user, new Attempt()).addListener(f -> {
            if (!f.isSuccess()) {
                leaveAdmission();
                run.tallies.connectFailures.increment();
                run.tallies.error("connect: " + f.cause().getClass().getSimpleName());
                retry(true);
            }
        });
    }

    private void leaveAdmission() {
        if (admitted) {
            admitted = false;
            run.admission.leave();
        }
    }

    /** Sends a text frame if the connection is up and keeping up; false when it was not sent. */
    public boolean send(String text) {
        Channel c = channel;
        if (c == null || !ready || !c.isWritable()) {
            return false;
        }
        c.writeAndFlush(new TextWebSocketFrame(text), c.voidPromise());
        return true;
    }

    public boolean isReady() {
        return ready;
    }

    public int[] channels() {
        return channels;
    }

    /** Starts loss tracking if this connection is subscribed now; returns whether it is. */
    public boolean track() {
        if (!ready || channels.length == 0) {
            return false;
        }
        streams = new StreamTracker[run.publishers * channels.length];
        return true;
    }

    public boolean isTracked() {
        return streams != null;
    }

    public boolean isAffected() {
        return affected;
    }

    /** Whether this connection was lost and came back at least once. */
    public boolean reconnected() {
        return reconnects > 0;
    }

    /** Messages this connection never received though later ones of the same stream came, at most {@code limit}. */
    public List<MessageId> missing(int limit) {
        List<MessageId> missing = new ArrayList<>();
        StreamTracker[] s = streams;
        for (int key = 0; s != null && key < s.length && missing.size() < limit; key++) {
            if (s[key] != null) {
                int publisher = key / channels.length;
                int channel = channels[key % channels.length];
                s[key].missing(limit - missing.size()).forEach(seq -> missing.add(new MessageId(publisher, channel, seq)));
            }
        }
        return missing;
    }

    /** Distinct messages received while tracked. */
    public long distinct() {
        long sum = 0;
        StreamTracker[] s = streams;
        if (s != null) {
            for (StreamTracker t : s) {
                sum += t == null ? 0 : t.distinct();
            }
        }
        return sum;
    }

    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    private void retry(boolean moveOn) {
        if (run.stopping) {
            return;
        }
        if (moveOn) {
            target = (target + 1) % run.connector.targetCount();
        }
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(backoffMillis * 2, 4_000);
        run.connector.group().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void onReady(long now) {
        ready = true;
        leaveAdmission();
        backoffMillis = 250;
        if (channels.length == 0) {
            run.tallies.publishersReady.incrementAndGet();
            return;
        }
        run.tallies.subscribed.incrementAndGet();
        if (!everReady) {
            everReady = true;
            run.tallies.connectTime.recordValue(Math.max(0, now - attemptStartMicros));
        } else {
            run.tallies.reconnects.increment();
            reconnects++;
            run.reconnections.add(new Reconnection(index, lostAtMicros, attemptStartMicros, openedMicros, now));
        }
        lostAtMicros = 0;
    }

    private void onMessage(String frame, long now) {
        int data = frame.indexOf("\"lt\":");
        if (data < 0 || Frames.number(frame, "\"lt\":", data) != run.runId) {
            return; // not this run's message
        }
        int publisher = (int) Frames.number(frame, "\"p\":", data);
        int channel = (int) Frames.number(frame, "\"c\":", data);
        long seq = Frames.number(frame, "\"s\":", data);
        long sentMicros = Frames.number(frame, "\"t\":", data);
        int position = -1;
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] == channel) {
                position = i;
            }
        }
        boolean replayed = false;
        boolean behind = false; // at or before the position this client had: a position delivered again
        int offsetAt = frame.lastIndexOf("\"offset\":", data);
        if (position >= 0 && offsetAt >= 0) {
            long offset = Frames.number(frame, "\"offset\":", offsetAt);
            String epoch = Frames.string(frame, "\"epoch\":\"");
            behind = epoch.equals(epochs[position]) && offset <= offsets[position];
            epochs[position] = epoch;
            offsets[position] = offset;
            replayed = offset <= replayUntil[position];
        }
        run.tallies.delivered.increment();
        if (replayed) {
            run.tallies.recovered.increment(); // its latency is the time it waited for the client to come back
        } else if (sentMicros >= run.measureFromMicros) {
            run.tallies.latency.recordValue(Math.min(Math.max(0, now - sentMicros), Tallies.HIGHEST_MICROS));
        }
        StreamTracker[] s = streams;
        if (s == null || publisher < 0 || publisher >= run.publishers || position < 0) {
            return;
        }
        int key = publisher * channels.length + position;
        StreamTracker tracker = s[key] == null ? (s[key] = new StreamTracker()) : s[key];
        long lateBefore = tracker.late();
        if (!tracker.record(seq)) {
            run.tallies.duplicates.increment();
            // Which kind, for whoever chases it: a stream position sent again, or one message at two positions.
            run.tallies.error("duplicate " + (replayed ? "replayed" : "live") + (behind ? ", a position sent again" : ", at a new position (stored twice)"));
            if (run.tallies.duplicates.sum() <= 5) {
                System.err.println("duplicate for " + user + " (connection " + index + "): " + frame.substring(0, Math.min(frame.length(), 240)));
            }
        } else if (tracker.late() > lateBefore) {
            run.tallies.late.increment();
        }
    }

    /** A subscribe request, from the last position where the channel keeps history. */
    private String subscribeFrame(int i) {
        String frame = "{\"type\":\"subscribe\",\"channel\":\"" + run.channels.name(channels[i]) + "\",\"id\":" + i;
        return epochs[i] == null ? frame + "}"
                : frame + ",\"since\":{\"epoch\":\"" + epochs[i] + "\",\"offset\":" + offsets[i] + "}}";
    }

    /** A subscription's reply: where the stream stands, and whether what was missed is replayed after it. */
    private void onSubscribed(String frame) {
        int i = (int) Frames.number(frame, "\"id\":", 0);
        if (i < 0 || i >= channels.length || !frame.contains("\"epoch\":\"")) {
            return;
        }
        long head = Frames.number(frame, "\"offset\":", 0);
        if (frame.contains("\"recovered\":true")) {
            replayUntil[i] = head;
            return;
        }
        if (frame.contains("\"recovered\":false")) {
            run.tallies.unrecovered.increment();
            String epoch = Frames.string(frame, "\"epoch\":\"");
            run.tallies.error("not recovered: " + (!epoch.equals(epochs[i]) ? "another epoch"
                    : offsets[i] > head ? "position ahead of the stream's head" : "position before the stream's window"));
        }
        epochs[i] = Frames.string(frame, "\"epoch\":\"");
        offsets[i] = head;
    }

    /** One connection attempt's handler: the handshake, the subscriptions, the frames, the end. */
    private final class Attempt extends SimpleChannelInboundHandler<WebSocketFrame> {

        private int closeCode = 1006;
        private boolean open;
        private Heartbeats.Beat pings;
        private long lastHeardMicros;
        private long nextPingMicros;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open = true;
                openedMicros = Clock.micros();
                channel = ctx.channel();
                if (channels.length > 0) {
                    run.tallies.connected.incrementAndGet();
                }
                // The nodes close connections silent for 120 s (4002); real clients ping, so do these. And as the
                // client library does, a socket that brought nothing (not even a pong) for two heartbeats is
                // given up: behind HAProxy, a node cut off by the network leaves the connection open but dead.
                long heartbeat = run.heartbeatMillis;
                lastHeardMicros = Clock.micros();
                nextPingMicros = lastHeardMicros + 1_000 * (heartbeat + ThreadLocalRandom.current().nextLong(Math.max(1, heartbeat / 5)));
                pings = now -> {
                    if (now - lastHeardMicros > 2_000 * heartbeat) {
                        run.tallies.error("no pong for " + 2 * heartbeat + " ms");
                        ctx.close();
                    } else if (now >= nextPingMicros) {
                        nextPingMicros += 1_000 * heartbeat;
                        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"ping\"}"));
                    }
                };
                Heartbeats.add(ctx.executor(), pings);
                pendingSubscriptions = channels.length;
                String token = run.credentials.tokenFor(user);
                if (token != null) {
                    // Proves the user first; the node handles frames in order, so the subscriptions follow it.
                    ctx.write(new TextWebSocketFrame("{\"type\":\"connect\",\"token\":\"" + token + "\"}"));
                }
                if (channels.length == 0) {
                    onReady(Clock.micros());
                }
                for (int i = 0; i < channels.length; i++) {
                    ctx.write(new TextWebSocketFrame(subscribeFrame(i)));
                }
                ctx.flush();
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                run.tallies.error("handshake timeout");
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            long now = Clock.micros();
            lastHeardMicros = now;
            if (frame instanceof TextWebSocketFrame) {
                String text = frame.content().toString(StandardCharsets.UTF_8);
                String type = Frames.type(text);
                switch (type) {
                    case "message" -> onMessage(text, now);
                    case "subscribed" -> {
                        onSubscribed(text);
                        if (--pendingSubscriptions == 0) {
                            onReady(now);
                        }
                    }
                    case "published" -> {
                        run.tallies.publishAcknowledged.increment();
                        long id = Frames.number(text, "\"id\":", 0);
                        if (id >= 0) {
                            MessageId message = MessageId.ofRequest(index, id, run.accepted.length());
                            run.unacknowledged.remove(message);
                            run.accepted.incrementAndGet(message.channel());
                        }
                    }
                    case "error" -> run.tallies.error(Frames.string(text, "\"code\":\""));
                    default -> { }
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!open) {
                run.tallies.error("handshake: " + Frames.firstLine(cause.getMessage()));
            } else {
                run.tallies.error("socket: " + cause.getClass().getSimpleName());
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            long now = Clock.micros();
            leaveAdmission();
            if (pings != null) {
                Heartbeats.remove(ctx.executor(), pings);
            }
            boolean wasReady = ready;
            ready = false;
            if (channel == ctx.channel()) {
                channel = null;
            }
            if (open) {
                if (channels.length > 0) {
                    run.tallies.connected.decrementAndGet();
                }
                run.tallies.close(closeCode);
            } else {
                run.tallies.connectFailures.increment();
            }
            if (wasReady && channels.length == 0) {
                run.tallies.publishersReady.decrementAndGet();
            } else if (wasReady) {
                run.tallies.subscribed.decrementAndGet();
                if (lostAtMicros == 0) {
                    lostAtMicros = now;
                }
                affected |= run.killedAtMicros > 0 && now >= run.killedAtMicros;
            }
            // A failed attempt or an abnormal end moves on to the next target; a 1012/1001 close goes
            // back through the same entry (the balancer routes it elsewhere).
            retry(!open || closeCode == 1006 || closeCode == 1013);
            super.channelInactive(ctx);
        }
    }
}
