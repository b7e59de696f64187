package io.wscluster.client;

/**
 * A message as the client receives it.
 *
 * @param channel the channel, or null for a message addressed to the user
 * @param to the user it was addressed to, or null for a channel message
 * @param data the payload as JSON text
 * @param ts publish time, epoch milliseconds on the origin node
 * @param epoch the channel stream's epoch, on channels that keep history; else null
 * @param offset the message's position in that stream (0 without history)
 */
public record ClientMessage(String channel, String to, String id, String data, long ts, String epoch, long offset) {
}
