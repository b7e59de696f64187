package io.wscluster.loadtest.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's secrets, read from cluster.sh's {@code secrets.env}: the load tool signs an HS256 token for
 * each of its users (as an application's backend would), publishes over REST with the API key and reads
 * the nodes' counts with the operations token. Without a file, it connects with the user parameter only
 * (nodes run with {@code wscluster.auth.user-param}).
 */
public final class Credentials {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final String hmacSecret;
    /** One MAC per event-loop thread, keyed once: a JCA lookup and key set-up per token cost more than the signing. */
    private final ThreadLocal<Mac> macs;
    private final String apiKey;
    private final String adminToken;

    private Credentials(Map<String, String> values) {
        this.hmacSecret = values.get("WSCLUSTER_AUTH_HMAC_SECRET");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        String keys = values.get("WSCLUSTER_API_KEYS");
        this.apiKey = keys == null ? null : keys.split(",")[0].strip();
        this.adminToken = values.get("WSCLUSTER_ADMIN_TOKEN");
    }

    /** From {@code file}, or none when it does not exist. */
    public static Credentials from(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (Files.isReadable(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        }
        return new Credentials(values);
    }

    /** A token for {@code user} valid for a day, or null without a secret. */
    public String tokenFor(String user) {
        if (hmacSecret == null) {
            return null;
        }
        long exp = System.currentTimeMillis() / 1000 + 86_400;
        String payload = B64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        String signature = B64.encodeToString(macs.get().doFinal((HEADER + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        return HEADER + "." + payload + "." + signature;
    }

    /** {@code Bearer KEY} for the server API, or null. */
    public String apiAuthorization() {
        return apiKey == null ? null : "Bearer " + apiKey;
    }

    /** {@code Bearer TOKEN} for the operations API, or null. */
    public String adminAuthorization() {
        return adminToken == null ? null : "Bearer " + adminToken;
    }
}
