package io.wscluster.api;

/** Error codes of the wire protocol, shared by WebSocket error frames, REST error bodies and the EJB API. */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    BAD_JSON,
    /** The frame is JSON but not an object with a string {@code type}. */
    BAD_FRAME,
    /** The {@code type} is not one the server knows. */
    UNKNOWN_TYPE,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    INVALID_FIELD,
    /** A channel name breaks the naming rules. */
    INVALID_CHANNEL,
    /** A well-formed channel name that the channel configuration does not allow. */
    UNKNOWN_CHANNEL,
    /** A user id breaks the naming rules. */
    INVALID_USER,
    /** No valid credential: the connection has not sent a valid token, or the API call no key or token. */
    UNAUTHORIZED,
    /** The credential is valid but does not allow this (the channel's permissions, another user's channel). */
    PERMISSION_DENIED,
    /** The channel is not configured for what was asked of it (history, presence). */
    NOT_ENABLED,
    /** Message data that is not a JSON value. */
    INVALID_DATA,
    /** Message data over the configured maximum size. */
    MESSAGE_TOO_LARGE,
    /** The connection already holds the configured maximum of subscriptions. */
    TOO_MANY_SUBSCRIPTIONS,
    /**
     * The connection sends frames faster than its configured rate (the frame was dropped), or the cluster is
     * behind delivering and takes no new messages for now (try again after the time the error gives).
     */
    RATE_LIMITED,
    /**
     * The node is cut off from the rest of the cluster (its view lacks {@code wscluster.health.min-members})
     * and takes no message into a channel's history: publish through another node.
     */
    UNAVAILABLE,
    /** A binary frame; the protocol is JSON text only. */
    UNSUPPORTED_DATA,
    /** The server failed; the request may be retried. */
    INTERNAL
}
