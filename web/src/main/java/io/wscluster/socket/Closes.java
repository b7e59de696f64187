package io.wscluster.socket;

import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.CloseReason.CloseCodes;

/** The close codes the server uses; PROTOCOL.md lists them with their meaning. */
final class Closes {

    /** The connection lacks a valid {@code user} query parameter. */
    static final CloseCode POLICY_VIOLATION = CloseCodes.VIOLATED_POLICY;
    /** The node is shutting down; reconnect (to another node). */
    static final CloseCode GOING_AWAY = CloseCodes.GOING_AWAY;
    /** The client did not read fast enough: its outbound queue overflowed or a send timed out. */
    static final CloseCode SLOW_CONSUMER = CloseCodes.getCloseCode(4001);

    /** The node is draining: reconnect, to another node (the load balancer no longer sends clients here). */
    static final CloseCode DRAINING = CloseCodes.SERVICE_RESTART;

    /** The node carries more than its share: reconnect; the load balancer sends the user to a less loaded node. */
    static final CloseCode REBALANCING = CloseCodes.SERVICE_RESTART;

    /** The client sent nothing for wscluster.session.idle-timeout-ms. */
    static final CloseCode IDLE_TIMEOUT = CloseCodes.getCloseCode(4002);

    private Closes() {
    }
}
