package io.wscluster.balancer;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * HAProxy in front of the cluster, from MicroProfile Config.
 *
 * @param runtimeApi {@code wscluster.haproxy.runtime-api}: {@code unix:/path/to/haproxy.sock} or
 *     {@code host:port}; unset, the nodes leave HAProxy alone
 * @param backend {@code wscluster.haproxy.backend}: the backend whose servers follow the registry; default nodes
 * @param affinityMap {@code wscluster.haproxy.affinity-map}: the map file HAProxy's use-server rule reads, as
 *     its configuration names it; unset, no affinity routing
 * @param serverOptions {@code wscluster.haproxy.server-options}: options of the servers added for nodes
 *     (dynamic servers do not inherit default-server); default {@code check inter 500ms fall 3 rise 2
 *     on-marked-down shutdown-sessions}: a node its checks mark down (hung: they time out) loses its
 *     clients at once, who reconnect elsewhere, rather than when their own heartbeat notices
 * @param syncMillis {@code wscluster.haproxy.sync-ms}: how often the backend is compared with the registry
 *     besides on every change; default 1000
 */
public record HaproxySettings(Optional<String> runtimeApi, String backend, Optional<String> affinityMap,
        String serverOptions, long syncMillis) {

    public static HaproxySettings from(Config config) {
        return new HaproxySettings(
                config.getOptionalValue("wscluster.haproxy.runtime-api", String.class),
                config.getOptionalValue("wscluster.haproxy.backend", String.class).orElse("nodes"),
                config.getOptionalValue("wscluster.haproxy.affinity-map", String.class),
                config.getOptionalValue("wscluster.haproxy.server-options", String.class).orElse("check inter 500ms fall 3 rise 2 on-marked-down shutdown-sessions"),
                config.getOptionalValue("wscluster.haproxy.sync-ms", Long.class).orElse(1000L));
    }
}
