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
#   payara/netns.sh cut-bus I   drop node I's Hazelcast traffic only (the bus between nodes), JGroups untouched
#   payara/netns.sh heal-bus I  let it through again
#   payara/netns.sh down        stop the cluster (cluster.sh down) and delete every namespace, links included
#
# Environment: WSCLUSTER_NETNS (namespace prefix, default wsc-), WSCLUSTER_RUN_DIR as for cluster.sh
# (default payara/target/netns-run), and cluster.sh's variables (WSCLUSTER_JAVA_OPTS, ...).
# WSCLUSTER_NETNS_SLOW=I-J:DELAY:JITTER (for up) makes the link between node I and node J slow: every
# byte either way DELAY ms late, +- JITTER ms, in order (payara/slowlink.py, a relay in each of the two
# namespaces; needs python3 and nft). Set before the nodes start, so that every connection between them
# goes through it; the relays log their connections to RUN_DIR/slowlink/node-I.log.
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

# Node I's connections to node J go through a delaying relay in node I's namespace: nftables redirects
# them to it, and it connects on from a second address of node I (10.77.0.(100+I)), which the redirect
# leaves alone. With the reverse relay in node J, both sides' connections cross the slow link.
slow_relay() { # I J delay jitter
    local ns="${prefix}node-$1" self="10.77.0.$((10 + $1))" other="10.77.0.$((10 + $2))" source="10.77.0.$((100 + $1))"
    local dir="$WSCLUSTER_RUN_DIR/slowlink" port=9900
    ip -n "$ns" addr add "$source/32" dev eth0
    ip netns exec "$ns" nft -f - <<EOF
table ip slowlink {
    chain output {
        type nat hook output priority -100;
        ip saddr $self ip daddr $other meta l4proto tcp redirect to :$port
    }
}
EOF
    mkdir -p "$dir"
    ip netns exec "$ns" python3 "$here/slowlink.py" --listen "$port" --source "$source" --delay "$3" --jitter "$4" \
        > "$dir/node-$1.log" 2>&1 &
    echo $! > "$dir/node-$1.pid"
    for _ in $(seq 50); do grep -q '^listening' "$dir/node-$1.log" && return; sleep 0.1; done
    echo "netns.sh: the slow-link relay in node-$1 did not start: $(cat "$dir/node-$1.log")" >&2
    return 1
}

slow_link() { # I-J:DELAY:JITTER, checked by up
    [[ $1 =~ ^([1-9])-([1-9]):([0-9]+):([0-9]+)$ ]]
    local i=${BASH_REMATCH[1]} j=${BASH_REMATCH[2]} delay=${BASH_REMATCH[3]} jitter=${BASH_REMATCH[4]}
    slow_relay "$i" "$j" "$delay" "$jitter"
    slow_relay "$j" "$i" "$delay" "$jitter"
}

namespaces() { ip netns list | awk '{print $1}' | grep "^$prefix" || true; }

up() {
    local count=${1:-3} i hosts=""
    [[ $count =~ ^[1-9]$ ]] || die "node count must be 1-9"
    [ -z "$(namespaces)" ] || die "namespaces $prefix* exist; run 'down' first"
    if [ -n "${WSCLUSTER_NETNS_SLOW:-}" ]; then
        [[ $WSCLUSTER_NETNS_SLOW =~ ^[1-9]-[1-9]:[0-9]+:[0-9]+$ ]] || die "WSCLUSTER_NETNS_SLOW must be I-J:DELAY:JITTER, e.g. 1-2:200:50"
        command -v nft >/dev/null || die "a slow link needs nft (apt-get install nftables)"
        command -v python3 >/dev/null || die "a slow link needs python3"
    fi
    trap 'echo "netns.sh: set-up failed, removing everything" >&2; down' ERR
    ip netns add "$lan"
    ip -n "$lan" link add br0 type bridge
    ip -n "$lan" link set br0 up
    add_host edge "$WSCLUSTER_LB_BIND"
    for ((i = 1; i <= count; i++)); do
        add_host "node-$i" "10.77.0.$((10 + i))"
        hosts+="${hosts:+,}10.77.0.$((10 + i))"
    done
    [ -z "${WSCLUSTER_NETNS_SLOW:-}" ] || slow_link "$WSCLUSTER_NETNS_SLOW"
    WSCLUSTER_HOSTS=$hosts "$here/cluster.sh" up "$count"
    trap - ERR
}

down() {
    local ns pid
    "$here/cluster.sh" down || true
    # Whatever cluster.sh could not stop (it failed, or was killed midway), by the PIDs it recorded.
    for pid in "$WSCLUSTER_RUN_DIR"/node-*/pid "$WSCLUSTER_RUN_DIR"/lb/pid "$WSCLUSTER_RUN_DIR"/slowlink/*.pid; do
        # Only if that PID is still a node, HAProxy or a relay (a stale file must never kill something else).
        if [ -f "$pid" ] && ps -p "$(cat "$pid")" -o args= 2>/dev/null | grep -qE 'payara-micro|haproxy|slowlink.py'; then
            kill -KILL "$(cat "$pid")"
        fi
    done
    rm -rf "$WSCLUSTER_RUN_DIR/slowlink"
    for ns in $(namespaces); do ip netns delete "$ns"; done
}

# The node's link, seen from the bridge: down cuts it off from every other node and from HAProxy.
link() { # I up|down
    [[ $1 =~ ^[1-9]$ ]] || die "node number must be 1-9"
    ip -n "$lan" link set "v-node-$1" "$2"
}

# Node I's Hazelcast traffic (Payara's clustering, which carries the messages between nodes) dropped both
# ways in its namespace, by port: the nodes' Hazelcast ports start at WSCLUSTER_HZ_PORT, one each; JGroups'
# are elsewhere and keep flowing, so the two memberships disagree.
bus() { # I cut|heal
    [[ $1 =~ ^[1-9]$ ]] || die "node number must be 1-9"
    local ns="${prefix}node-$1" first=${WSCLUSTER_HZ_PORT:-6900} last
    last=$((first + 19))
    if [ "$2" = cut ]; then
        ip netns exec "$ns" nft -f - <<EOF
table inet wscluster_bus {
    chain in { type filter hook input priority 0; tcp dport $first-$last drop; tcp sport $first-$last drop; }
    chain out { type filter hook output priority 0; tcp dport $first-$last drop; tcp sport $first-$last drop; }
}
EOF
    else
        ip netns exec "$ns" nft delete table inet wscluster_bus
    fi
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    down) down ;;
    exec) where=${2:-}; shift 2; ip netns exec "$prefix$where" "$@" ;;
    cut) link "${2:-}" down ;;
    heal) link "${2:-}" up ;;
    cut-bus) bus "${2:-}" cut ;;
    heal-bus) bus "${2:-}" heal ;;
    *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
