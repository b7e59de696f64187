package io.wscluster.hub;

import io.wscluster.channel.SlowConsumerPolicy;
import io.wscluster.protocol.WireFrames;

/**
 * One server frame, encoded once (text and wire bytes) and queued as the same object to every connection
 * it goes to, with what the queue needs to know about it: whether it overtakes (high priority), which
 * key it replaces (latest-per-key), and whether it may be dropped for a client that lags.
 */
public final class OutboundFrame {

    private final String text;
    private final byte[] wire;
    private final boolean urgent;
    private final SlowConsumerPolicy policy;
    private final String conflationKey;
    private final String channel;
    private final String epoch;
    private final long offset;
    private final long createdNanos = System.nanoTime();
    private volatile byte[] deflated;

    private OutboundFrame(String text, boolean urgent, SlowConsumerPolicy policy, String conflationKey, String channel, String epoch,
            long offset) {
        this.text = text;
        this.wire = WireFrames.text(text);
        this.urgent = urgent;
        this.policy = policy;
        this.conflationKey = conflationKey;
        this.channel = channel;
        this.epoch = epoch;
        this.offset = offset;
    }

    /** A reply, error or other frame for one connection: never dropped, never replaced. */
    public static OutboundFrame reply(String json) {
        return new OutboundFrame(json, false, SlowConsumerPolicy.DISCONNECT, null, null, null, 0);
    }

    /**
     * A message frame for many connections.
     *
     * @param key the message's key on a latest-per-key channel (null: none); a newer frame with the same
     *     channel and key replaces this one while it is still queued
     * @param epoch and {@code offset}: the message's place in its channel's stream (null and 0 without history)
     */
    static OutboundFrame message(String json, boolean urgent, String channel, SlowConsumerPolicy policy, String key, String epoch,
            long offset) {
        String conflationKey = policy == SlowConsumerPolicy.LATEST_PER_KEY && key != null ? channel + '\u0000' + key : null;
        return new OutboundFrame(json, urgent, policy, conflationKey, channel, epoch, offset);
    }

    public String text() {
        return text;
    }

    /** A message frame's channel; null for a reply or a message to a user. */
    public String channel() {
        return channel;
    }

    /** A message's stream epoch, on a channel with history; null otherwise. */
    public String epoch() {
        return epoch;
    }

    /** A message's offset in its stream, on a channel with history; 0 otherwise. */
    public long offset() {
        return offset;
    }

    /** The whole frame as it goes on the wire; shared, never to be modified. */
    public byte[] wire() {
        return wire;
    }

    /** The frame compressed for a permessage-deflate connection, made once on first use. */
    public byte[] deflatedWire() {
        byte[] bytes = deflated;
        if (bytes == null) {
            bytes = WireFrames.deflatedText(text);
            deflated = bytes; // a race only compresses twice
        }
        return bytes;
    }

    boolean urgent() {
        return urgent;
    }

    /** Whether a lagging client may lose this frame (it stays connected instead). */
    boolean droppable() {
        return policy != SlowConsumerPolicy.DISCONNECT;
    }

    String conflationKey() {
        return conflationKey;
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }
}
