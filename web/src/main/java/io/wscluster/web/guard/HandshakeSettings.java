package io.wscluster.web.guard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * What the handshake guard admits, from MicroProfile Config.
 *
 * @param allowedOrigins {@code wscluster.handshake.allowed-origins}: origins ({@code https://app.example})
 *     whose pages may open sockets besides the node's own origin, comma-separated; {@code *} allows any;
 *     none by default. Clients that send no Origin (not browsers) are always admitted.
 * @param maxConnectionsPerAddress {@code wscluster.handshake.max-connections-per-address}: open sockets per
 *     client address; 0 disables; default 1000
 * @param maxHandshakesPerSecond {@code wscluster.handshake.max-per-second-per-address}: handshakes per
 *     second per client address; 0 disables; default 200
 * @param trustedProxies {@code wscluster.handshake.trusted-proxies}: addresses and CIDR ranges of proxies
 *     (HAProxy) whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed, comma-separated
 *     ({@code 127.0.0.1}, {@code 10.42.0.0/16}); none by default
 */
public record HandshakeSettings(Set<String> allowedOrigins, int maxConnectionsPerAddress, int maxHandshakesPerSecond,
        TrustedProxies trustedProxies) {

    public static HandshakeSettings from(Config config) {
        return new HandshakeSettings(
                list(config, "wscluster.handshake.allowed-origins"),
                config.getOptionalValue("wscluster.handshake.max-connections-per-address", Integer.class).orElse(1000),
                config.getOptionalValue("wscluster.handshake.max-per-second-per-address", Integer.class).orElse(200),
                TrustedProxies.of(List.copyOf(list(config, "wscluster.handshake.trusted-proxies"))));
    }

    /** The node's own origin (scheme and Host), a configured one, or any when {@code *} is configured; never "null". */
    public boolean allowsOrigin(String origin, String host, String scheme) {
        if (allowedOrigins.contains("*") && !"null".equals(origin) || allowedOrigins.contains(origin)) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            return host != null && uri.getRawAuthority() != null && scheme.equalsIgnoreCase(uri.getScheme())
                    && uri.getRawAuthority().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Set<String> list(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(v -> Arrays.stream(v.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }
}
