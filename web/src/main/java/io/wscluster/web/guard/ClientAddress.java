package io.wscluster.web.guard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * The address and scheme a request came from: the peer's, or, when the peer is a trusted proxy, the last
 * hop of its {@code X-Forwarded-For} (HAProxy appends the client's) and its {@code X-Forwarded-Proto}.
 */
record ClientAddress(String address, String scheme) {

    static ClientAddress of(HttpServletRequest request, Set<String> trustedProxies) {
        String peer = request.getRemoteAddr();
        String scheme = request.isSecure() ? "https" : "http";
        if (!trustedProxies.contains(peer)) {
            return new ClientAddress(peer, scheme);
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        String proto = request.getHeader("X-Forwarded-Proto");
        String client = forwarded == null ? peer : forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
        return new ClientAddress(client.isEmpty() ? peer : client, "https".equalsIgnoreCase(proto) ? "https" : scheme);
    }
}
