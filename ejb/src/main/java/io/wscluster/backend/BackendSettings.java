package io.wscluster.backend;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Whether and where the application's backend is asked to decide, from MicroProfile Config. Which channels
 * ask it about subscribes and publishes is the channels' own {@code backend-subscribe} and {@code
 * backend-publish} options.
 *
 * @param url {@code wscluster.backend.url}: the base URL the hooks are posted to ({@code URL/connect},
 *     {@code /subscribe}, {@code /publish}, {@code /refresh}); none by default, and then nothing is asked
 * @param connect {@code wscluster.backend.connect}: a connection's connect (a socket's {@code connect}
 *     frame, an event stream's opening) is decided by the backend; default false
 * @param refresh {@code wscluster.backend.refresh}: when a connection's credential expires, the backend
 *     decides whether and until when it lives on (instead of the client sending a fresh token); default false
 * @param whenDown {@code wscluster.backend.when-down}: {@code refuse} (the default) or {@code allow}, what
 *     is decided when the backend does not answer in time, fails, or its circuit is open
 * @param timeoutMillis {@code wscluster.backend.timeout-ms}: how long an answer may take (MicroProfile Fault
 *     Tolerance's timeout on every call); default 1000
 */
public record BackendSettings(Optional<URI> url, boolean connect, boolean refresh, WhenDown whenDown, long timeoutMillis) {

    /** What a hook decides when the backend cannot. */
    public enum WhenDown { REFUSE, ALLOW }

    public static BackendSettings from(Config config) {
        String whenDown = config.getOptionalValue("wscluster.backend.when-down", String.class).orElse("refuse");
        WhenDown policy = switch (whenDown.toLowerCase(Locale.ROOT)) {
            case "refuse" -> WhenDown.REFUSE;
            case "allow" -> WhenDown.ALLOW;
            default -> throw new IllegalArgumentException("wscluster.backend.when-down is refuse or allow, not '" + whenDown + "'");
        };
        return new BackendSettings(config.getOptionalValue("wscluster.backend.url", String.class).map(URI::create),
                config.getOptionalValue("wscluster.backend.connect", Boolean.class).orElse(false),
                config.getOptionalValue("wscluster.backend.refresh", Boolean.class).orElse(false),
                policy,
                config.getOptionalValue("wscluster.backend.timeout-ms", Long.class).orElse(1000L));
    }
}
