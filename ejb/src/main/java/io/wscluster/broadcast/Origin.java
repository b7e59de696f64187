package io.wscluster.broadcast;

/** Where a message entered the system; kept for metrics and logs. */
public enum Origin {
    SOCKET, REST, EJB
}
