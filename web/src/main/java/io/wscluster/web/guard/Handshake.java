package io.wscluster.web.guard;

import java.util.List;

/**
 * What a WebSocket handshake is judged on, whatever transport carried it.
 *
 * @param query the raw query string, or null
 * @param origin the {@code Origin} header, or null (clients that are not browsers)
 * @param host the {@code Host} header, or null
 * @param forwardedFor every {@code X-Forwarded-For} line, in order
 * @param forwardedProto every {@code X-Forwarded-Proto} line, in order
 * @param peer the address of the TCP peer
 * @param secure whether the connection is TLS
 */
public record Handshake(String query, String origin, String host, List<String> forwardedFor, List<String> forwardedProto,
        String peer, boolean secure) {
}
