#!/bin/sh
# Starts one wscluster node in a container. Every setting is an environment variable:
#   WSCLUSTER_DISCOVERY   DNS name that resolves to every node (a headless service); default wscluster-ping.
#                         Both memberships use it: Hazelcast (Payara's --clusterMode dns:) and JGroups (DNS_PING).
#   WSCLUSTER_MEMBERS     instead of DNS, the nodes' addresses, comma-separated (real hosts, systemd): both
#                         memberships then use that fixed list (Hazelcast tcpip:, JGroups TCPPING).
#   WSCLUSTER_ADDRESS     the address this node binds and announces; default: this container's first address
#   WSCLUSTER_NODE_ID     default: the host name (a StatefulSet's pod name, wscluster-0, wscluster-1, ...)
#   WSCLUSTER_HTTP_PORT   8080;  WSCLUSTER_HZ_PORT 6900;  WSCLUSTER_JGROUPS_PORT 7800
#   WSCLUSTER_HEAP        the JVM's -Xmx; default 75% of the container's memory limit
#   WSCLUSTER_JAVA_OPTS   more JVM options, e.g. -Dwscluster.haproxy.runtime-api=haproxy:9999
# The application reads its own keys from the environment too (MicroProfile Config): WSCLUSTER_CHANNELS,
# WSCLUSTER_AUTH_HMAC_SECRET, WSCLUSTER_API_KEYS, WSCLUSTER_ADMIN_TOKEN, ... (docs/configuration.md).
set -eu

discovery=${WSCLUSTER_DISCOVERY:-wscluster-ping}
if [ -z "${WSCLUSTER_ADDRESS:-}" ]; then
    # shellcheck disable=SC2046
    set -- $(hostname -i)
    WSCLUSTER_ADDRESS=$1
fi
address=$WSCLUSTER_ADDRESS
node=${WSCLUSTER_NODE_ID:-$(hostname)}
http=${WSCLUSTER_HTTP_PORT:-8080}
hz=${WSCLUSTER_HZ_PORT:-6900}
jgroups=${WSCLUSTER_JGROUPS_PORT:-7800}
if [ -n "${WSCLUSTER_HEAP:-}" ]; then heap="-Xmx$WSCLUSTER_HEAP"; else heap="-XX:MaxRAMPercentage=75"; fi

home=/opt/wscluster
work=/var/lib/wscluster
mkdir -p "$work/tmp"
rm -rf "$work/root" # a fresh root each start: a kept one would deploy the WAR twice
# The HTTP listener binds this node's address (the pre-boot file's is 127.0.0.1, for cluster.sh).
sed "s/-listener.address=127.0.0.1/-listener.address=$address/" "$home/preboot.asadmin" > "$work/preboot.asadmin"

if [ -n "${WSCLUSTER_MEMBERS:-}" ]; then
    # A fixed list of hosts: Hazelcast's tcpip: members and JGroups' TCPPING initial hosts, on the same addresses.
    hz_members=$(echo "$WSCLUSTER_MEMBERS" | sed "s/\([^,]*\)/\1:$hz/g")
    jg_members=$(echo "$WSCLUSTER_MEMBERS" | sed "s/\([^,]*\)/\1[$jgroups]/g")
    cluster_mode="tcpip:$hz_members"
    jgroups_options="-Dwscluster.jgroups.stack=hosts -Dwscluster.jgroups.initial-hosts=$jg_members"
else
    cluster_mode="dns:$discovery:$hz"
    jgroups_options="-Dwscluster.jgroups.stack=kubernetes -Dwscluster.jgroups.dns-query=$discovery"
fi

# exec: the JVM is PID 1 (or systemd's main process) and gets SIGTERM itself, which drains the node
# (wscluster.drain.on-sigterm).
# shellcheck disable=SC2086
exec java $heap -Djava.io.tmpdir="$work/tmp" -Djava.net.preferIPv4Stack=true \
    -Dhazelcast.socket.bind.any=false -Dhazelcast.phone.home.enabled=false -Dhazelcast.metrics.enabled=false \
    -Dwscluster.node.id="$node" -Dwscluster.node.url="http://$address:$http" \
    $jgroups_options \
    -Dwscluster.jgroups.bind-address="$address" -Dwscluster.jgroups.bind-port="$jgroups" \
    ${WSCLUSTER_JAVA_OPTS:-} \
    -jar "$home/payara-micro.jar" \
    --disablePhoneHome --interfaces "$address" --nohostaware \
    --clusterMode "$cluster_mode" --startPort "$hz" --clusterName wscluster \
    --name "$node" --port "$http" --rootdir "$work/root" \
    --prebootcommandfile "$work/preboot.asadmin" \
    --deploy "$home/wscluster.war"
