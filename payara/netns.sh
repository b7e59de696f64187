#!/usr/bin/env bash
# Runs a wscluster cluster as separate hosts on this one machine (as root): every node in a network
# namespace of its own with its own address, HAProxy (and whoever tests it) in an "edge" namespace, all
# joined by a bridge in a namespace of their own. The nodes run exactly as on real machines: JGroups's
# "hosts" stack bound to their address, Payara's --interfaces and --clusterMode on it, HAProxy pointing
# at the addresses. The addresses (10.77.0.0/24) exist only inside these namespaces: no route, no NAT,
# nothing outside can reach them or be reached from them.
#
#   payara/netns.sh up [N]      create the namespaces and start N nodes (default 3) and HAProxy with cluster.sh
#   payara/netns.sh exec WHERE COMMAND...   run a command in edge or node-I (e.g. a load test against the entry)
#   payara/netns.sh cut I       take node I's link down: a clean network partition of that node
#   payara/netns.sh heal I      bring it back up
#   payara/netns.sh down        stop the cluster (cluster.sh down) and delete every namespace, links included
#
# Environment: WSCLUSTER_NETNS (namespace prefix, default wsc-), WSCLUSTER_RUN_DIR as for cluster.sh
# (default payara/target/netns-run), and cluster.sh's variables (WSCLUSTER_JAVA_OPTS, ...).
# Node I is 10.77.0.(10+I), the edge 10.77.0.2; the entry is http://10.77.0.2:8000 from the edge.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prefix=${WSCLUSTER_NETNS:-wsc-}
export WSCLUSTER_NETNS=$prefix
export WSCLUSTER_RUN_DIR=${WSCLUSTER_RUN_DIR:-$here/target/netns-run}
export WSCLUSTER_LB_BIND=10.77.0.2
lan="${prefix}lan"

die() { echo "netns.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (ip netns)"
command -v ip >/dev/null || die "needs iproute2 (apt-get install iproute2)"

# A namespace with loopback up, joined to the bridge by a veth pair, with the given address.
add_host() { # name address
    local ns="$prefix$1" peer="v-$1"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "$peer" type veth peer name eth0 netns "$ns"
    ip link set "$peer" netns "$lan"
    ip -n "$lan" link set "$peer" master br0 up
    ip -n "$ns" addr add "$2/24" dev eth0
    ip -n "$ns" link set eth0 up
}

namespaces() { ip netns list | awk '{print $1}' | grep "^$prefix" || true; }

up() {
    local count=${1:-3} i hosts=""
    [[ $count =~ ^[1-9]$ ]] || die "node count must be 1-9"
    [ -z "$(namespaces)" ] || die "namespaces $prefix* exist; run 'down' first"
    trap 'echo "netns.sh: set-up failed, removing everything" >&2; down' ERR
    ip netns add "$lan"
    ip -n "$lan" link add br0 type bridge
    ip -n "$lan" link set br0 up
    add_host edge "$WSCLUSTER_LB_BIND"
    for ((i = 1; i <= count; i++)); do
        add_host "node-$i" "10.77.0.$((10 + i))"
        hosts+="${hosts:+,}10.77.0.$((10 + i))"
    done
    WSCLUSTER_HOSTS=$hosts "$here/cluster.sh" up "$count"
    trap - ERR
}

down() {
    local ns pid
    "$here/cluster.sh" down || true
    # Whatever cluster.sh could not stop (it failed, or was killed midway), by the PIDs it recorded.
    for pid in "$WSCLUSTER_RUN_DIR"/node-*/pid "$WSCLUSTER_RUN_DIR"/lb/pid; do
        # Only if that PID is still a node or HAProxy (a stale file must never kill something else).
        if [ -f "$pid" ] && ps -p "$(cat "$pid")" -o args= 2>/dev/null | grep -qE 'payara-micro|haproxy'; then
            kill -KILL "$(cat "$pid")"
        fi
    done
    for ns in $(namespaces); do ip netns delete "$ns"; done
}

# The node's link, seen from the bridge: down cuts it off from every other node and from HAProxy.
link() { # I up|down
    [[ $1 =~ ^[1-9]$ ]] || die "node number must be 1-9"
    ip -n "$lan" link set "v-node-$1" "$2"
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    down) down ;;
    exec) where=${2:-}; shift 2; ip netns exec "$prefix$where" "$@" ;;
    cut) link "${2:-}" down ;;
    heal) link "${2:-}" up ;;
    *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
