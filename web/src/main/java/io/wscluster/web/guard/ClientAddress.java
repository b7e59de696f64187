package io.wscluster.web.guard;

import java.util.List;

/**
 * The address and scheme a request came from: the peer's, or, when the peer is a trusted proxy, what that
 * proxy wrote last: the last entry of the last {@code X-Forwarded-For} line (HAProxy appends the client's
 * address, after any the client sent itself) and the last {@code X-Forwarded-Proto} line.
 */
record ClientAddress(String address, String scheme) {

    static ClientAddress of(String peer, boolean secure, List<String> forwardedFor, List<String> forwardedProto,
            TrustedProxies trustedProxies) {
        String scheme = secure ? "https" : "http";
        if (!trustedProxies.contains(peer)) {
            return new ClientAddress(peer, scheme);
        }
        String client = forwardedFor.isEmpty() ? peer : lastEntry(forwardedFor.get(forwardedFor.size() - 1));
        String proto = forwardedProto.isEmpty() ? null : lastEntry(forwardedProto.get(forwardedProto.size() - 1));
        return new ClientAddress(client.isEmpty() ? peer : client, proto == null ? scheme : "https".equalsIgnoreCase(proto) ? "https" : "http");
    }

    private static String lastEntry(String line) {
        return line.substring(line.lastIndexOf(',') + 1).strip();
    }
}
