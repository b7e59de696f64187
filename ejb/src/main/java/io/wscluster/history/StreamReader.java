package io.wscluster.history;

/** Reads channel streams: what the hub needs to fill gaps and to resume subscribers. */
public interface StreamReader {

    /** The messages after {@code since} (the first {@code limit}), with where the stream stands. */
    StreamSlice since(String channel, long since, int limit);

    /** The last {@code limit} messages, with where the stream stands. */
    StreamSlice latest(String channel, int limit);
}
