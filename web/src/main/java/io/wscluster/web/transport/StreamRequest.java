package io.wscluster.web.transport;

import java.util.List;
import java.util.Map;

/**
 * A client's request for an event stream (Server-Sent Events), as the transport read it.
 *
 * @param parameters the query's parameters, decoded
 * @param authorization the {@code Authorization} header, or null
 * @param lastEventId the {@code Last-Event-ID} header (where a reconnecting client stood), or null
 * @param client the client's address (the proxy's word for it where the peer is a trusted proxy)
 */
public record StreamRequest(Map<String, List<String>> parameters, String authorization, String lastEventId, String client) {
}
