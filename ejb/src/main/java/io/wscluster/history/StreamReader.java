package io.wscluster.history;

/** Reads channel streams: what the hub needs to fill gaps and to resume subscribers. */
public interface StreamReader {

    /** Applies {@code read} to the channel's stream: the slice it selects, with where the stream stands. */
    StreamSlice read(String channel, ReadSince read);

    /** The messages after {@code since} (the first {@code limit}), with where the stream stands. */
    default StreamSlice since(String channel, long since, int limit) {
        return read(channel, new ReadSince(since, limit, false));
    }

    /** The last {@code limit} messages, with where the stream stands. */
    default StreamSlice latest(String channel, int limit) {
        return read(channel, new ReadSince(0, limit, true));
    }
}
