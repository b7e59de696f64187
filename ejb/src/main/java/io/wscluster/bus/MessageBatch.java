package io.wscluster.bus;

import java.io.Serializable;

/**
 * Messages published on one node, carried to the others in one clustered CDI event.
 *
 * @param epoch distinguishes runs of the same origin, so a restarted node's sequence starts afresh
 * @param sequence per origin and epoch, from 1, without gaps: receivers deliver in this order
 * @param payload the messages, encoded by {@link BatchCodec}
 */
public record MessageBatch(String origin, long epoch, long sequence, int count, boolean compressed, byte[] payload)
        implements Serializable {
}
