#!/usr/bin/env bash
# Runs a local wscluster cluster of Payara Micro nodes on 127.0.0.1.
#
#   payara/cluster.sh up [N]   start N nodes (default 3), wait until the registry shows N READY nodes, print URLs
#   payara/cluster.sh status   each node's PID, port and readiness
#   payara/cluster.sh down     stop the nodes by PID and remove their directories
#
# Needs `./mvnw -DskipTests package` first (it lays out payara/target/payara-micro.jar and wscluster.war).
# Environment: WSCLUSTER_HTTP_PORT (first HTTP port, default 8080), WSCLUSTER_HZ_PORT (first Hazelcast
# port, default 6900), WSCLUSTER_JGROUPS_PORT (first JGroups port, default 7800; failure detection
# uses that +100), WSCLUSTER_HEAP (default 512m), WSCLUSTER_JAVA_OPTS (extra JVM options, e.g.
# -Dwscluster.channels=news,chat.*), WSCLUSTER_READY_TIMEOUT (seconds, default 240),
# WSCLUSTER_RUN_DIR (where node directories, logs and PIDs go; default payara/target/run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target="$here/target"
run=${WSCLUSTER_RUN_DIR:-$target/run}
micro="$target/payara-micro.jar"
war="$target/wscluster.war"
http_base=${WSCLUSTER_HTTP_PORT:-8080}
hz_base=${WSCLUSTER_HZ_PORT:-6900}
jg_base=${WSCLUSTER_JGROUPS_PORT:-7800}
heap=${WSCLUSTER_HEAP:-512m}
ready_timeout=${WSCLUSTER_READY_TIMEOUT:-240}

die() { echo "cluster.sh: $*" >&2; exit 1; }

node_dirs() { ls -d "$run"/node-* 2>/dev/null | sort -V || true; }

alive() { [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null; }

# A plain HTTP GET to 127.0.0.1 in bash itself (no curl needed): prints the response, status line first.
http_get() { # port path
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$2" >&3
        cat <&3' _ "$1" "$2" 2>/dev/null
}

ready() { http_get "$1" /health/ready | head -n 1 | grep -q ' 200 '; }

start_node() { # index count
    local i=$1 count=$2
    local dir="$run/node-$i" http=$((http_base + i - 1)) hz=$((hz_base + i - 1)) jg=$((jg_base + i - 1))
    local members="" hosts="" j
    for ((j = 0; j < count; j++)); do
        members+="${members:+,}127.0.0.1:$((hz_base + j))"
        hosts+="${hosts:+,}127.0.0.1[$((jg_base + j))]"
    done
    mkdir -p "$dir/tmp" "$dir/root"
    echo "$http" > "$dir/http-port"
    # Every flag that keeps the node on loopback (see ../shared/STACK.md): Hazelcast bound to
    # 127.0.0.1 with a fixed TCP member list, no phone-home, HTTP listener bound by the pre-boot file,
    # JGroups on the "loopback" stack (TCP on 127.0.0.1, TCPPING over the nodes' ports).
    # shellcheck disable=SC2086
    nohup java -Xmx"$heap" -Djava.io.tmpdir="$dir/tmp" -Djava.net.preferIPv4Stack=true \
        -Dhazelcast.socket.bind.any=false -Dhazelcast.phone.home.enabled=false \
        -Dwscluster.node.id="node-$i" -Dwscluster.node.url="http://127.0.0.1:$http" \
        -Dwscluster.jgroups.bind-port="$jg" -Dwscluster.jgroups.initial-hosts="$hosts" \
        ${WSCLUSTER_JAVA_OPTS:-} \
        -jar "$micro" \
        --disablePhoneHome --interfaces 127.0.0.1 --nohostaware \
        --clusterMode "tcpip:$members" --startPort "$hz" --clusterName wscluster-local \
        --name "node-$i" --port "$http" --rootdir "$dir/root" \
        --prebootcommandfile "$here/preboot.asadmin" \
        --deploy "$war" \
        > "$dir/server.log" 2>&1 &
    echo $! > "$dir/pid"
}

wait_ready() { # dir
    local dir=$1 http deadline
    http=$(cat "$dir/http-port")
    deadline=$((SECONDS + ready_timeout))
    until ready "$http"; do
        alive "$dir" || { tail -n 40 "$dir/server.log" >&2; die "$(basename "$dir") exited during start-up"; }
        [ $SECONDS -lt $deadline ] || { tail -n 40 "$dir/server.log" >&2; die "$(basename "$dir") not ready after ${ready_timeout}s"; }
        sleep 1
    done
    # Micro logs "ready" even when the deployment failed; readiness above proves the app is up.
}

ready_nodes() { # http port: how many READY nodes that node's registry lists
    http_get "$1" /api/cluster/nodes | grep -o '"state":"READY"' | wc -l
}

up() {
    local count=${1:-3} i deadline
    [[ $count =~ ^[1-9][0-9]?$ ]] || die "node count must be 1-99"
    [ -f "$micro" ] && [ -f "$war" ] || die "run ./mvnw -DskipTests package first"
    [ -z "$(node_dirs)" ] || die "a cluster is already laid out in $run; run 'down' first"
    for ((i = 1; i <= count; i++)); do
        if ready $((http_base + i - 1)); then die "port $((http_base + i - 1)) is already serving"; fi
    done
    for ((i = 1; i <= count; i++)); do start_node "$i" "$count"; done
    for ((i = 1; i <= count; i++)); do wait_ready "$run/node-$i"; done
    deadline=$((SECONDS + ready_timeout))
    until [ "$(ready_nodes "$http_base")" -ge "$count" ]; do
        [ $SECONDS -lt $deadline ] || die "the registry does not show $count READY nodes after ${ready_timeout}s"
        sleep 0.5
    done
    echo "wscluster: $count node(s) ready"
    for ((i = 1; i <= count; i++)); do
        local http=$((http_base + i - 1))
        echo "  node-$i  pid $(cat "$run/node-$i/pid")  ws://127.0.0.1:$http/ws?user=ID  http://127.0.0.1:$http/api/channels"
    done
}

status() {
    local dir state
    [ -n "$(node_dirs)" ] || { echo "no nodes"; return 0; }
    for dir in $(node_dirs); do
        if ! alive "$dir"; then state="stopped"
        elif ready "$(cat "$dir/http-port")"; then state="ready"
        else state="starting"; fi
        printf '%s  pid %s  http %s  %s\n' "$(basename "$dir")" "$(cat "$dir/pid" 2>/dev/null)" "$(cat "$dir/http-port")" "$state"
    done
}

down() {
    local dir pid deadline
    for dir in $(node_dirs); do
        if alive "$dir"; then
            pid=$(cat "$dir/pid")
            kill -TERM "$pid"
            deadline=$((SECONDS + 30))
            while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
            echo "stopped $(basename "$dir") (pid $pid)"
        fi
        rm -rf "$dir"
    done
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    status) status ;;
    down) down ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
