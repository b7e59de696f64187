package io.wscluster.message;

import java.io.Serializable;

/**
 * An order of the server API about one user's connections, whichever nodes they are on: every node applies
 * it to its own ({@code Hub#apply}).
 *
 * @param channel the channel of a subscribe or unsubscribe; null otherwise
 * @param closeCode and {@code reason}: how a disconnect closes the connections
 * @param expiresAtMillis the new expiry of a refresh (epoch millis)
 * @param epoch and {@code offset}: where a subscribe to a channel with history starts (null epoch: now)
 */
public record UserCommand(Action action, String user, String channel, int closeCode, String reason, long expiresAtMillis,
        String epoch, long offset) implements Serializable {

    /** What the command does. */
    public enum Action { DISCONNECT, UNSUBSCRIBE, SUBSCRIBE, REFRESH }

    public static UserCommand disconnect(String user, int closeCode, String reason) {
        return new UserCommand(Action.DISCONNECT, user, null, closeCode, reason, 0, null, 0);
    }

    public static UserCommand unsubscribe(String user, String channel) {
        return new UserCommand(Action.UNSUBSCRIBE, user, channel, 0, null, 0, null, 0);
    }

    /** @param epoch where to resume on a channel with history, with {@code offset}; null to start from now */
    public static UserCommand subscribe(String user, String channel, String epoch, long offset) {
        return new UserCommand(Action.SUBSCRIBE, user, channel, 0, null, 0, epoch, offset);
    }

    public static UserCommand refresh(String user, long expiresAtMillis) {
        return new UserCommand(Action.REFRESH, user, null, 0, null, expiresAtMillis, null, 0);
    }
}
