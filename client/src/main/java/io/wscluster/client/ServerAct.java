package io.wscluster.client;

/**
 * Something the server did to this client of its own accord (its server API), for {@code onServerAct}:
 * {@code subscribed} or {@code unsubscribed} a channel (the first is not resubscribed after a reconnect, the
 * second is forgotten), {@code refreshed} the connection's expiry ({@code expiresAt}, epoch millis), or
 * {@code disconnected} it for good ({@code code} and {@code reason}: a disconnect or a ban; the client does
 * not reconnect).
 */
public record ServerAct(String type, String channel, long expiresAt, int code, String reason) {
}
