package io.wscluster.client;

/** Where a client's connection is. */
public enum ClientState {
    IDLE, CONNECTING, OPEN, RECONNECTING, CLOSED
}
