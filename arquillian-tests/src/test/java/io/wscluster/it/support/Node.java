package io.wscluster.it.support;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** One wscluster node on 127.0.0.1, addressed by its HTTP port: its URLs and HTTP calls. */
public final class Node {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final JsonProvider JSON = JsonProvider.provider(); // one lookup, not one per response
    /** The credentials every test node is configured with (arquillian-tests/pom.xml, it.api.key and it.admin.token). */
    public static final String API_KEY = System.getProperty("it.api.key", "it-api-key");
    public static final String ADMIN_TOKEN = System.getProperty("it.admin.token", "it-admin-token");
    public static final String HMAC_SECRET = System.getProperty("it.hmac.secret", "it-hmac-secret-it-hmac-secret-it-hmac-secret");
    private static final Pattern SERVER_API = Pattern.compile("/api/(channels/[^/?]+(/(messages|history|presence))?"
            + "|users/[^/]+/(messages|disconnect|unsubscribe|subscribe|refresh)|publish/batch|broadcast)([/?].*)?");

    private final int httpPort;

    private Node(int httpPort) {
        this.httpPort = httpPort;
    }

    public static Node atPort(int httpPort) {
        return new Node(httpPort);
    }

    /** The node the Arquillian container starts ({@code it.http.port}). */
    public static Node underTest() {
        return atPort(Integer.getInteger("it.http.port", 18080));
    }

    public int port() {
        return httpPort;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public URI wsUri(String user) {
        String query = user == null ? "" : "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        return URI.create("ws://127.0.0.1:" + httpPort + "/ws" + query);
    }

    /** The ids in this node's view of the registry. */
    public List<String> registryIds() {
        return registry().map(n -> n.getString("id")).toList();
    }

    /** The ids of the nodes this node's registry shows READY. */
    public List<String> readyNodeIds() {
        return registry().filter(n -> n.getString("state").equals("READY")).map(n -> n.getString("id")).toList();
    }

    /** READY nodes' connection counts as this node's registry shows them (each a heartbeat old). */
    public Map<String, Integer> readyNodeConnections() {
        return registry().filter(n -> n.getString("state").equals("READY"))
                .collect(Collectors.toMap(n -> n.getString("id"), n -> n.getInt("connections")));
    }

    private java.util.stream.Stream<JsonObject> registry() {
        return jsonArray(get("/api/cluster/nodes")).getValuesAs(JsonObject.class).stream();
    }

    @Override
    public String toString() {
        return "node on port " + httpPort;
    }

    /** The WAR that {@code web} built, copied by the failsafe set-up; tests deploy exactly this file. */
    public static WebArchive builtWar() {
        File war = new File(System.getProperty("it.deps", "target/it-deps"), "wscluster.war");
        return ShrinkWrap.create(ZipImporter.class, "wscluster.war").importFrom(war).as(WebArchive.class);
    }

    /** A GET with the credential the path needs: the API key for the server API, the admin token otherwise. */
    public HttpResponse<String> get(String path) {
        return getAs(path, credentialFor(path));
    }

    /** A POST of JSON with the credential the path needs. */
    public HttpResponse<String> postJson(String path, String body) {
        return postAs(path, body, credentialFor(path));
    }

    /** A POST of JSON with the credential the path needs, published at most once per idempotency key. */
    public HttpResponse<String> postJson(String path, String body, String idempotencyKey) {
        return send(authorized(HttpRequest.newBuilder(uri(path)), credentialFor(path)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET with the given Authorization header value (Basic, say). */
    public HttpResponse<String> getWithAuthorization(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET());
    }

    /** A GET with the given bearer credential, or none when it is null. */
    public HttpResponse<String> getAs(String path, String bearer) {
        return send(authorized(HttpRequest.newBuilder(uri(path)), bearer).GET());
    }

    /** A POST of JSON with the given bearer credential, or none when it is null. */
    public HttpResponse<String> postAs(String path, String body, String bearer) {
        return send(authorized(HttpRequest.newBuilder(uri(path)), bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static String credentialFor(String path) {
        return SERVER_API.matcher(path).matches() ? API_KEY : ADMIN_TOKEN;
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String bearer) {
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    public static JsonObject json(HttpResponse<String> response) {
        return parse(response).asJsonObject();
    }

    public static JsonArray jsonArray(HttpResponse<String> response) {
        return parse(response).asJsonArray();
    }

    /** The body as JSON; anything else (an error page) fails with what the server said. */
    public static JsonValue parse(HttpResponse<String> response) {
        try {
            return JSON.createReader(new StringReader(response.body())).readValue();
        } catch (JsonException e) {
            String body = response.body();
            throw new AssertionError(response.request().method() + " " + response.uri() + " -> " + response.statusCode() + " "
                    + response.headers().map() + ": " + body.substring(0, Math.min(300, body.length())), e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
