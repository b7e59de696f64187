package io.wscluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.it.support.Await;
import io.wscluster.it.support.Node;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's entry as payara/haproxy.cfg configures it, on its own (no nodes behind it: these rules act
 * before a backend is chosen): limits per client address, malformed paths, operations kept off the
 * entry, a password on the statistics, JSON for every refusal.
 */
class HaproxyEntryIT {

    private static final int ENTRY = 18090;
    private static final int STATS = 18092;
    private static final String STATS_PASSWORD = "it-stats-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process haproxy;

    @BeforeAll
    static void startHaproxy() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "haproxy-entry").toAbsolutePath());
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor());
        Files.writeString(dir.resolve("tls.pem"), Files.readString(dir.resolve("tls.crt")) + Files.readString(dir.resolve("tls.key")));
        Files.writeString(dir.resolve("affinity.map"), "");
        ProcessBuilder builder = new ProcessBuilder("haproxy", "-db", "-f", Path.of("..", "payara", "haproxy.cfg").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        builder.environment().putAll(Map.of("WSCLUSTER_LB_BIND", "127.0.0.1", "WSCLUSTER_LB_DIR", dir.toString(),
                "WSCLUSTER_LB_PORT", Integer.toString(ENTRY), "WSCLUSTER_LB_TLS_PORT", "18091", "WSCLUSTER_LB_STATS_PORT", Integer.toString(STATS),
                "WSCLUSTER_LB_STATS_PASSWORD", STATS_PASSWORD, "WSCLUSTER_LB_MAX_CONN_PER_IP", "3", "WSCLUSTER_LB_MAX_RATE_PER_IP", "10"));
        haproxy = builder.start();
        Await.until(() -> {
            try (Socket probe = new Socket("127.0.0.1", ENTRY)) {
                return true;
            } catch (IOException e) {
                return haproxy.isAlive() ? false : fail(dir);
            }
        }, () -> "HAProxy listens on " + ENTRY);
    }

    private static boolean fail(Path dir) {
        throw new AssertionError("haproxy exited: " + readQuietly(dir.resolve("haproxy.log")));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    static void stopHaproxy() throws InterruptedException {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
    }

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyPublicPathsInNormalFormPassAndEverythingElseIsAJsonNotFound() throws Exception {
        // The operations endpoints, and every way an outside probe walked around a deny-list to them.
        for (String path : List.of("/metrics", "/metrics?scope=application", "/openapi", "/health/ready", "/ready", "/api/admin/drain",
                "//metrics?scope=base", "/./metrics", "/%6detrics", "/x/../metrics", "/%2Fmetrics", "//openapi", "//health",
                "/%68ealth", "//ready", "/%72eady", "/api/channels/%2E%2E/messages", "/api//channels/news/messages", "/nowhere")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 404"), path + ": " + response);
            assertTrue(response.contains("\"code\":\"NOT_FOUND\""), path + ": " + response);
        }
        // Public paths pass the rules; with no node behind this HAProxy, they end in its JSON 503.
        for (String path : List.of("/client/wscluster.js", "/demo/", "/dashboard/", "/api/channels/inbox.user%23alice/messages")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 503"), path + ": " + response);
            assertTrue(response.contains("\"code\":\"UNAVAILABLE\""), path + ": " + response);
        }
        // java.net.URI refuses a malformed escape, so this one goes over a raw socket.
        String response = raw("GET /api/channels/%ZZ/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("\"code\":\"BAD_REQUEST\""), response);
    }

    /**
     * Sends a request exactly as written (paths java.net.URI would normalise or refuse) and reads the whole
     * answer; a 429 (this HAProxy takes 10 requests a second from one address) is retried after the second its
     * Retry-After names, as a client would.
     */
    private static String raw(String request) throws IOException, InterruptedException {
        while (true) {
            String response;
            try (Socket socket = new Socket("127.0.0.1", ENTRY)) {
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            if (!response.startsWith("HTTP/1.1 429")) {
                return response;
            }
            Thread.sleep(1000); // Retry-After: 1
        }
    }

    @Test
    void statisticsNeedThePassword() throws Exception {
        assertEquals(401, get(STATS, "/").statusCode());
        String basic = Base64.getEncoder().encodeToString(("admin:" + STATS_PASSWORD).getBytes());
        assertEquals(200, get(STATS, "/;csv", "Authorization", "Basic " + basic).statusCode());
    }

    @Test
    void oneAddressIsLimitedInRequestsPerSecond() throws Exception {
        int limited = 0;
        for (int i = 0; i < 40 && limited == 0; i++) {
            HttpResponse<String> response = get(ENTRY, "/api/channels");
            if (response.statusCode() == 429) {
                limited++;
                assertEquals("RATE_LIMITED", Node.json(response).getString("code"));
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            }
        }
        assertTrue(limited > 0, "more than 10 requests per second from one address met the limit");
    }
}
