package io.wscluster.web.sse;

import io.wscluster.channel.ChannelNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The id of an event on a stream: where the client stands on every channel of the stream that keeps
 * history, {@code channel!epoch!offset} per channel, comma-separated (channel names cannot hold {@code !}
 * or {@code ,}, epochs are base 36). A client that reconnects sends it as {@code Last-Event-ID} and is
 * replayed, per channel, what it missed since. Channels without history are not in it: nothing of them can
 * be replayed. An empty epoch is a stream that had no message yet.
 */
final class EventIds {

    /** What a client may send back at most; longer ids are not read at all. */
    static final int MAX_LENGTH = 16 * 1024;

    /** Where a client stands in one channel's stream. */
    record Position(String epoch, long offset) {
    }

    private EventIds() {
    }

    static String encode(Map<String, Position> positions) {
        StringBuilder id = new StringBuilder();
        positions.forEach((channel, position) -> {
            if (!id.isEmpty()) {
                id.append(',');
            }
            id.append(channel).append('!').append(position.epoch()).append('!').append(position.offset());
        });
        return id.toString();
    }

    /** The positions in an id a client sent; entries that do not parse are left out (their channels start afresh). */
    static Map<String, Position> decode(String id) {
        Map<String, Position> positions = new LinkedHashMap<>();
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return positions;
        }
        for (String entry : id.split(",")) {
            String[] parts = entry.split("!", -1);
            if (parts.length != 3 || !ChannelNames.isValid(parts[0]) || !parts[1].chars().allMatch(EventIds::isBase36)) {
                continue;
            }
            try {
                long offset = Long.parseLong(parts[2]);
                if (offset >= 0) {
                    positions.put(parts[0], new Position(parts[1], offset));
                }
            } catch (NumberFormatException e) {
                // left out
            }
        }
        return positions;
    }

    private static boolean isBase36(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
