package io.wscluster.broker;

import java.io.Serializable;

/** A node's sign of life on the bus (Payara's clustered CDI events), sent every second by {@link BusWatch}. */
public record BusPulse(String origin) implements Serializable {
}
