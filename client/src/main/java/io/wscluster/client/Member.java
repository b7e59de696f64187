package io.wscluster.client;

/** One subscribed connection as presence lists it: its user, connection id, node, and since when (epoch millis). */
public record Member(String user, String connection, String node, long since) {
}
