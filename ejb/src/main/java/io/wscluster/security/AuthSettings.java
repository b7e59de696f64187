package io.wscluster.security;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * Who may connect and call the APIs, from MicroProfile Config. Secrets are best given as environment
 * variables ({@code WSCLUSTER_AUTH_HMAC_SECRET}, ...), which other users cannot read from the process list.
 *
 * @param hmacSecret {@code wscluster.auth.hmac-secret}: verifies HS256 tokens (at least 32 bytes); none by default
 * @param publicKeys {@code wscluster.auth.public-keys}: a JWKS file or a PEM public key verifying RS256 and
 *     ES256 tokens; none by default
 * @param issuer {@code wscluster.auth.issuer}: the {@code iss} every token must carry; any by default
 * @param anonymous {@code wscluster.auth.anonymous}: connections may act without a token, where a channel
 *     grants anonymous access; default false
 * @param userParam {@code wscluster.auth.user-param}: for development only: the {@code user} query parameter
 *     is taken as the user's identity without proof; default false
 * @param connectTimeoutMillis {@code wscluster.auth.connect-timeout-ms}: a connection that has not sent a
 *     valid token by then is closed (4005), unless anonymous connections are allowed; default 10000
 * @param apiKeys {@code wscluster.api.keys}: keys for the server API (REST publishing, history, presence),
 *     comma-separated; none by default (then only server tokens)
 * @param adminToken {@code wscluster.admin.token}: the operations token (registry, affinity, channel
 *     listing, metrics, OpenAPI, drain); without one those endpoints are closed
 */
public record AuthSettings(Optional<String> hmacSecret, Optional<Path> publicKeys, Optional<String> issuer, boolean anonymous,
        boolean userParam, long connectTimeoutMillis, Set<String> apiKeys, Optional<String> adminToken) {

    public static AuthSettings from(Config config) {
        return new AuthSettings(
                nonBlank(config, "wscluster.auth.hmac-secret"),
                nonBlank(config, "wscluster.auth.public-keys").map(Path::of),
                nonBlank(config, "wscluster.auth.issuer"),
                config.getOptionalValue("wscluster.auth.anonymous", Boolean.class).orElse(false),
                config.getOptionalValue("wscluster.auth.user-param", Boolean.class).orElse(false),
                config.getOptionalValue("wscluster.auth.connect-timeout-ms", Long.class).orElse(10_000L),
                nonBlank(config, "wscluster.api.keys").map(keys -> Arrays.stream(keys.split(",")).map(String::strip)
                        .filter(k -> !k.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of()),
                nonBlank(config, "wscluster.admin.token"));
    }

    private static Optional<String> nonBlank(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }
}
