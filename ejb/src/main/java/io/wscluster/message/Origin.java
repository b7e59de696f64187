package io.wscluster.message;

/** Where a message entered the system; kept for metrics and logs. */
public enum Origin {
    SOCKET, REST, EJB
}
