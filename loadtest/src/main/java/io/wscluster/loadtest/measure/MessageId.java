package io.wscluster.loadtest.measure;

/** One published message of a run: its publisher, the channel's index in the mix, and its number in that stream. */
public record MessageId(int publisher, int channel, long seq) {

    /** The id of a socket publish request: channel and sequence number in one, so the reply names both. */
    public static long requestId(int channel, long seq, int channels) {
        return seq * channels + channel;
    }

    public static MessageId ofRequest(int publisher, long requestId, int channels) {
        return new MessageId(publisher, (int) (requestId % channels), requestId / channels);
    }

    /** {@code publisher/channel/seq}, the form worker processes report it in. */
    @Override
    public String toString() {
        return publisher + "/" + channel + "/" + seq;
    }

    public static MessageId parse(String text) {
        String[] parts = text.split("/");
        return new MessageId(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
    }
}
