package io.wscluster.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests and the image cannot drift from what a node serves and reads: the ports the
 * start script uses, the health endpoints the application declares, configuration that exists (every
 * {@code WSCLUSTER_*} variable and {@code -Dwscluster.*} key on docs/configuration.md, which its own test
 * keeps true to the code), one discovery name for both memberships, a grace period that outlasts the
 * drain, HAProxy's configuration and the alert rules as the repository has them. No cluster runs here.
 */
class ManifestsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");

    @Test
    void theNodesPortsAreTheOnesTheStartScriptAndTheImageUse() {
        Map<String, Object> node = container(resource("nodes.yaml", "StatefulSet", "wscluster"), "node");
        Map<String, Integer> ports = list(node, "ports").stream().collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
        String entrypoint = text(ROOT.resolve("deploy/entrypoint.sh"));
        assertEquals(Map.of("http", scriptDefault(entrypoint, "WSCLUSTER_HTTP_PORT"), "hazelcast", scriptDefault(entrypoint, "WSCLUSTER_HZ_PORT"),
                "jgroups", scriptDefault(entrypoint, "WSCLUSTER_JGROUPS_PORT")), ports);
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(text(ROOT.resolve("deploy/Containerfile")));
        assertTrue(expose.find());
        assertEquals(new TreeSet<>(ports.values()), Pattern.compile(" ").splitAsStream(expose.group(1)).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new)), "the Containerfile's EXPOSE");
        Map<String, Object> headless = resource("nodes.yaml", "Service", "wscluster-ping");
        assertEquals(new TreeSet<>(ports.values()), list(map(headless, "spec"), "ports").stream().map(p -> (Integer) p.get("port"))
                .collect(Collectors.toCollection(TreeSet::new)), "the headless service's ports");
    }

    @Test
    void theProbesAskTheHealthChecksTheApplicationDeclares() {
        Map<String, Object> node = container(resource("nodes.yaml", "StatefulSet", "wscluster"), "node");
        assertEquals("/health/started", probePath(node, "startupProbe"));
        assertEquals("/health/live", probePath(node, "livenessProbe"));
        assertEquals("/health/ready", probePath(node, "readinessProbe"));
        String health = sources(ROOT.resolve("web/src/main/java/io/wscluster/web/health"));
        for (String kind : List.of("@Startup", "@Liveness", "@Readiness")) {
            assertTrue(health.contains(kind), "the application declares a " + kind + " check");
        }
    }

    @Test
    void oneDnsNameFindsEveryNodeForBothMemberships() {
        Map<String, Object> statefulSet = resource("nodes.yaml", "StatefulSet", "wscluster");
        Map<String, Object> headless = resource("nodes.yaml", "Service", "wscluster-ping");
        assertEquals("None", map(headless, "spec").get("clusterIP"));
        assertEquals(Boolean.TRUE, map(headless, "spec").get("publishNotReadyAddresses"), "a starting node must find the others");
        assertEquals("wscluster-ping", map(statefulSet, "spec").get("serviceName"));
        assertEquals("wscluster-ping", env(container(statefulSet, "node")).get("WSCLUSTER_DISCOVERY"));
        String entrypoint = text(ROOT.resolve("deploy/entrypoint.sh"));
        assertTrue(entrypoint.contains("cluster_mode=\"dns:$discovery:$hz\"") && entrypoint.contains("--clusterMode \"$cluster_mode\""),
                "Hazelcast finds its peers by the name");
        assertTrue(entrypoint.contains("-Dwscluster.jgroups.dns-query=$discovery") && entrypoint.contains("-Dwscluster.jgroups.stack=kubernetes"),
                "JGroups finds its peers by the same name");
        assertTrue(text(ROOT.resolve("infinispan-config/src/main/resources/wscluster-infinispan.xml"))
                .contains("dns_query=\"${wscluster.jgroups.dns-query:"), "the kubernetes stack reads the key");
    }

    @Test
    void everySettingTheManifestsGiveIsOneTheNodeReads() {
        Map<String, Object> node = container(resource("nodes.yaml", "StatefulSet", "wscluster"), "node");
        Set<String> keys = documentedKeys();
        Set<String> script = scriptVariables(text(ROOT.resolve("deploy/entrypoint.sh")));
        List<String> unknown = new ArrayList<>();
        env(node).forEach((name, value) -> {
            // The start script's own, or a key's name in the environment (MicroProfile Config's mapping).
            if (!script.contains(name) && keys.stream().noneMatch(key -> environmentName(key).equals(name))) {
                unknown.add(name);
            }
        });
        Matcher options = Pattern.compile("-D(wscluster\\.[a-z0-9.-]+)=").matcher(String.valueOf(env(node).get("WSCLUSTER_JAVA_OPTS")));
        while (options.find()) {
            if (!keys.contains(options.group(1))) {
                unknown.add(options.group(1));
            }
        }
        assertEquals(List.of(), unknown, "set by the manifests, read by nothing");
    }

    @Test
    void theGracePeriodOutlastsTheDrain() {
        Map<String, Object> pod = map(map(resource("nodes.yaml", "StatefulSet", "wscluster"), "spec"), "template");
        int grace = (Integer) map(pod, "spec").get("terminationGracePeriodSeconds");
        Matcher deadline = Pattern.compile("\\| `wscluster\\.drain\\.deadline-ms` \\| `(\\d+)`").matcher(text(ROOT.resolve("docs/configuration.md")));
        assertTrue(deadline.find());
        List<?> preStop = (List<?>) map(map(map(container(resource("nodes.yaml", "StatefulSet", "wscluster"), "node"), "lifecycle"), "preStop"), "exec").get("command");
        int pause = Integer.parseInt(String.valueOf(preStop.get(1)));
        assertTrue(grace > pause + Integer.parseInt(deadline.group(1)) / 1000, grace + " s for a pause of " + pause + " s and a drain of " + deadline.group(1) + " ms");
    }

    @Test
    void theSystemdUnitRunsTheImagesStartScriptWithSettingsTheNodeReadsAndOutlastsTheDrain() {
        String unit = text(ROOT.resolve("deploy/systemd/wscluster.service"));
        String entrypoint = text(ROOT.resolve("deploy/entrypoint.sh"));
        assertTrue(unit.contains("\nExecStart=/opt/wscluster/entrypoint.sh\n")
                && text(ROOT.resolve("deploy/Containerfile")).contains("ENTRYPOINT [\"/opt/wscluster/entrypoint.sh\"]"), "the image's start script, where the image has it");
        assertTrue(unit.contains("\nStateDirectory=wscluster\n") && entrypoint.contains("\nwork=/var/lib/wscluster\n"), "the script's work directory");
        assertTrue(unit.contains("\nKillSignal=SIGTERM\n"), "SIGTERM drains");
        Matcher timeout = Pattern.compile("\nTimeoutStopSec=(\\d+)\n").matcher(unit);
        Matcher deadline = Pattern.compile("\\| `wscluster\\.drain\\.deadline-ms` \\| `(\\d+)`").matcher(text(ROOT.resolve("docs/configuration.md")));
        assertTrue(timeout.find() && deadline.find());
        assertTrue(Integer.parseInt(timeout.group(1)) > Integer.parseInt(deadline.group(1)) / 1000, "systemd waits for the drain");

        Set<String> keys = documentedKeys();
        Set<String> script = scriptVariables(entrypoint);
        List<String> unknown = new ArrayList<>();
        for (String line : text(ROOT.resolve("deploy/systemd/wscluster.env")).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('='));
            if (!script.contains(name) && keys.stream().noneMatch(key -> environmentName(key).equals(name))) {
                unknown.add(name);
            }
            Matcher options = Pattern.compile("-D(wscluster\\.[a-z0-9.-]+)=").matcher(line);
            while (options.find()) {
                if (!keys.contains(options.group(1))) {
                    unknown.add(options.group(1));
                }
            }
        }
        assertEquals(List.of(), unknown, "set by the example environment file, read by nothing");
    }

    @Test
    void haproxyRunsTheRepositorysConfigurationWithEveryVariableItReadsAndTheNodesReachItsRuntimeApi() {
        String config = text(KUBERNETES.resolve("haproxy.cfg"));
        assertEquals(text(ROOT.resolve("payara/haproxy.cfg")), config, "deploy/kubernetes/haproxy.cfg is a copy of payara/haproxy.cfg");
        Map<String, Object> haproxy = container(resource("haproxy.yaml", "Deployment", "wscluster-haproxy"), "haproxy");
        Set<String> read = new TreeSet<>();
        Matcher variables = Pattern.compile("\\$\\{(WSCLUSTER_[A-Z_]+)}").matcher(config);
        while (variables.find()) {
            read.add(variables.group(1));
        }
        assertEquals(read, new TreeSet<>(env(haproxy).keySet()), "the variables haproxy.cfg reads");
        String runtime = String.valueOf(env(haproxy).get("WSCLUSTER_LB_RUNTIME_ADDRESS"));
        String port = runtime.substring(runtime.lastIndexOf(':') + 1);
        Map<String, Object> admin = resource("haproxy.yaml", "Service", "wscluster-haproxy-admin");
        String nodesOptions = String.valueOf(env(container(resource("nodes.yaml", "StatefulSet", "wscluster"), "node")).get("WSCLUSTER_JAVA_OPTS"));
        assertTrue(nodesOptions.contains("-Dwscluster.haproxy.runtime-api=wscluster-haproxy-admin:" + port), nodesOptions);
        assertEquals(Integer.valueOf(port), list(map(admin, "spec"), "ports").get(0).get("port"));
        assertTrue(nodesOptions.contains("-Dwscluster.haproxy.affinity-map=" + env(haproxy).get("WSCLUSTER_LB_DIR") + "/affinity.map"),
                "the map as HAProxy's configuration names it");
    }

    @Test
    void theAlertRulesAreTheRepositorysAndTheScrapeIsTheJobTheyName() {
        Map<String, Object> rule = resource("monitoring.yaml", "PrometheusRule", "wscluster");
        Map<String, Object> alerts = new Yaml().load(text(ROOT.resolve("ops/prometheus/wscluster-alerts.yml")));
        assertEquals(alerts.get("groups"), map(rule, "spec").get("groups"), "monitoring.yaml's rules are ops/prometheus/wscluster-alerts.yml's");
        Map<String, Object> monitor = resource("monitoring.yaml", "ServiceMonitor", "wscluster");
        String jobLabel = (String) map(monitor, "spec").get("jobLabel");
        Map<String, Object> headless = resource("nodes.yaml", "Service", "wscluster-ping");
        assertEquals("wscluster", map(map(headless, "metadata"), "labels").get(jobLabel), "the job the rules select");
    }

    @Test
    void theSecretsTheManifestsNameAreTheOnesTheScriptMakes() {
        String made = text(KUBERNETES.resolve("make-secrets.sh"));
        Matcher refs = Pattern.compile("key: (WSCLUSTER_[A-Z_]+)").matcher(text(KUBERNETES.resolve("nodes.yaml")) + text(KUBERNETES.resolve("haproxy.yaml"))
                + text(KUBERNETES.resolve("monitoring.yaml")));
        while (refs.find()) {
            if (!refs.group(1).equals("WSCLUSTER_CHANNELS")) {
                assertTrue(made.contains(refs.group(1) + "="), refs.group(1) + " is made by make-secrets.sh");
            }
        }
    }

    private static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Set<String> documentedKeys() {
        Set<String> keys = new TreeSet<>();
        Matcher matcher = Pattern.compile("`(wscluster\\.[a-z0-9.-]+)`").matcher(text(ROOT.resolve("docs/configuration.md")));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    private static Set<String> scriptVariables(String script) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\{(WSCLUSTER_[A-Z_]+)").matcher(script);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static int scriptDefault(String script, String variable) {
        Matcher matcher = Pattern.compile("\\$\\{" + variable + ":-(\\d+)}").matcher(script);
        assertTrue(matcher.find(), variable + " has a default in entrypoint.sh");
        return Integer.parseInt(matcher.group(1));
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) map(map(container, probe), "httpGet").get("path");
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> entry : list(container, "env")) {
            env.put((String) entry.get("name"), entry.containsKey("value") ? entry.get("value") : entry.get("valueFrom"));
        }
        return env;
    }

    private static Map<String, Object> container(Map<String, Object> workload, String name) {
        Map<String, Object> podSpec = map(map(map(workload, "spec"), "template"), "spec");
        return list(podSpec, "containers").stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static Map<String, Object> resource(String file, String kind, String name) {
        for (Object document : new Yaml().loadAll(text(KUBERNETES.resolve(file)))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) document;
            if (resource != null && kind.equals(resource.get("kind")) && name.equals(map(resource, "metadata").get("name"))) {
                return resource;
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in " + file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("no map " + key + " in " + parent.keySet());
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }

    private static String sources(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(ManifestsTest::text).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
