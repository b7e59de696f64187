package io.wscluster.protocol;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/** The close codes the server uses and the reasons it gives; PROTOCOL.md lists them with their meaning. */
public final class CloseCodes {

    /** The node is shutting down; reconnect (to another node). */
    public static final CloseCode GOING_AWAY = CloseReason.CloseCodes.GOING_AWAY;
    /** The connection lacks a valid {@code user} query parameter. */
    public static final CloseCode POLICY_VIOLATION = CloseReason.CloseCodes.VIOLATED_POLICY;
    /** The node is draining or rebalancing: reconnect, through the load balancer, which sends the user elsewhere. */
    public static final CloseCode SERVICE_RESTART = CloseReason.CloseCodes.SERVICE_RESTART;
    /** The node is not READY (starting, disconnected from the cluster or draining): try another node. */
    public static final CloseCode TRY_AGAIN_LATER = CloseReason.CloseCodes.TRY_AGAIN_LATER;
    /** The client did not read fast enough: its outbound queue overflowed or a send timed out. */
    public static final CloseCode SLOW_CONSUMER = CloseReason.CloseCodes.getCloseCode(4001);
    /** The client sent nothing for wscluster.session.idle-timeout-ms. */
    public static final CloseCode IDLE_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4002);
    /** A token for another user than the connection's: reconnecting with the same one cannot help. */
    public static final CloseCode UNAUTHORIZED = CloseReason.CloseCodes.getCloseCode(4003);
    /** No token within the connect timeout (a client that never sends one, or a node too busy to read it): reconnect. */
    public static final CloseCode CONNECT_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4005);
    /** The connection's token expired and was not refreshed. */
    public static final CloseCode TOKEN_EXPIRED = CloseReason.CloseCodes.getCloseCode(4004);
    /** The user is banned (the server API's disconnect with banSeconds): final, the clients do not reconnect. */
    public static final CloseCode BANNED = CloseReason.CloseCodes.getCloseCode(4006);
    /** The server API disconnected the user; its default code. Codes 4100-4499 are final (no reconnect). */
    public static final int DISCONNECTED = 4100;
    /** The range of codes the server API's disconnect may give: 4100-4499 final, 4500-4999 the clients reconnect. */
    public static final int DISCONNECT_FIRST = 4100;
    public static final int DISCONNECT_LAST = 4999;

    private CloseCodes() {
    }

    public static CloseReason goingAway() {
        return new CloseReason(GOING_AWAY, "node shutting down");
    }

    public static CloseReason draining() {
        return new CloseReason(SERVICE_RESTART, "node draining: reconnect to another node");
    }

    public static CloseReason rebalancing() {
        return new CloseReason(SERVICE_RESTART, "rebalancing: reconnect, to a less loaded node");
    }

    /** The node cannot keep up with this client's messages although the client reads: try another node. */
    public static CloseReason overloaded() {
        return new CloseReason(TRY_AGAIN_LATER, "node overloaded: reconnect, to another node");
    }

    public static CloseReason unauthorized(String why) {
        return new CloseReason(UNAUTHORIZED, "unauthorized: " + why);
    }

    public static CloseReason connectTimeout(long millis) {
        return new CloseReason(CONNECT_TIMEOUT, "no valid token within " + millis + " ms: send connect first");
    }

    public static CloseReason banned(long untilMillis) {
        return new CloseReason(BANNED, "banned until " + java.time.Instant.ofEpochMilli(untilMillis));
    }

    public static CloseReason tokenExpired() {
        return new CloseReason(TOKEN_EXPIRED, "token expired: refresh it before it does");
    }

    /** The application's backend would not extend an expiring connection (wscluster.backend.refresh). */
    public static CloseReason refreshRefused(String why) {
        return new CloseReason(TOKEN_EXPIRED, why == null ? "the application ended the session" : why);
    }

    public static CloseReason slowConsumer(String why) {
        return new CloseReason(SLOW_CONSUMER, "slow consumer: " + why);
    }

    public static CloseReason noPong(long waitedMillis) {
        return new CloseReason(IDLE_TIMEOUT, "no pong within " + waitedMillis + " ms of a ping after the network healed");
    }

    public static CloseReason idle(long timeoutMillis) {
        return new CloseReason(IDLE_TIMEOUT, "idle timeout: send a ping at least every " + timeoutMillis / 1000 + " s");
    }
}
