#!/usr/bin/env bash
# Runs a local wscluster cluster of Payara Micro nodes on 127.0.0.1, behind HAProxy.
#
#   payara/cluster.sh up [N]    start HAProxy and N nodes (default 3); wait until the registry shows N READY
#                               nodes and HAProxy routes to all of them; print the entry URLs
#   payara/cluster.sh start I   start node I again (after it was killed or drained), e.g. to watch it rejoin
#   payara/cluster.sh roll      replace every node, one at a time (drained, started again with the build in
#                               payara/target and the environment now, its wscluster.channels put in force), each
#                               once the one before is READY, back in HAProxy and no node's caches are rebalancing
#   payara/cluster.sh status    each node's PID, port and readiness, and HAProxy's view of them
#   payara/cluster.sh down      SIGTERM every node (each drains its clients), then HAProxy; remove the directories
#   payara/cluster.sh token USER [TTL] [CHANNELS]
#                               print an HS256 token for USER (TTL seconds, default 3600; CHANNELS: a JSON
#                               list the token grants, e.g. '["secret.*"]'), signed with the cluster's secret
#
# Secrets: `up` writes $WSCLUSTER_RUN_DIR/secrets.env (mode 600): the HMAC secret tokens are signed with
# (WSCLUSTER_AUTH_HMAC_SECRET), the server API key (WSCLUSTER_API_KEYS), the operations token
# (WSCLUSTER_ADMIN_TOKEN) and HAProxy's statistics password (WSCLUSTER_LB_STATS_PASSWORD, user "admin").
# Each is generated unless set in the environment; the nodes read them from theirs (MicroProfile Config).
#
# Needs `./mvnw -DskipTests package` first (it lays out payara/target/payara-micro.jar and wscluster.war).
# Environment: WSCLUSTER_HTTP_PORT (first HTTP port, default 8080), WSCLUSTER_HZ_PORT (first Hazelcast
# port, default 6900), WSCLUSTER_JGROUPS_PORT (first JGroups port, default 7800; failure detection
# uses that +100), WSCLUSTER_HEAP (default 512m), WSCLUSTER_JAVA_OPTS (extra JVM options, e.g.
# -Dwscluster.channels=news,chat.*), WSCLUSTER_JIT (quick, the default: the JIT's first tier only, which on
# cores the nodes share took a warm node from 1.7 to 0.8 ms of CPU per connection and fan-out p99 from about
# 220 to 100 ms; full: the JIT's default tiers, for nodes with cores to themselves), WSCLUSTER_READY_TIMEOUT (seconds, default 240),
# WSCLUSTER_RUN_DIR (where node directories, logs and PIDs go; default payara/target/run), WSCLUSTER_DEPLOY
# (other applications each node deploys after the WAR, colon-separated paths), WSCLUSTER_ADDLIBS (jars or
# directories on the nodes' shared class path, colon-separated, e.g. payara/target/wscluster-api.jar for an
# application that calls the broadcast EJB).
# Separate hosts (payara/netns.sh sets these): WSCLUSTER_HOSTS, the nodes' addresses in order (default: all
# 127.0.0.1, the loopback stacks); WSCLUSTER_NETNS, a prefix: node I runs in namespace PREFIXnode-I,
# HAProxy (bound to WSCLUSTER_LB_BIND) and this script's probes in PREFIXedge.
# HAProxy (installed with apt-get if missing and run as root): WSCLUSTER_LB_PORT (ws/http entry, default 8000),
# WSCLUSTER_LB_TLS_PORT (wss/https, default 8443, self-signed certificate generated in the run directory),
# WSCLUSTER_LB_STATS_PORT (statistics page, default 8404), WSCLUSTER_LB_MAX_CONN_PER_IP (open connections
# per client address, default 1000), WSCLUSTER_LB_MAX_RATE_PER_IP (requests and handshakes per second per
# client address, default 200); WSCLUSTER_LB=none runs the nodes alone.
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
case "${WSCLUSTER_JIT:-quick}" in
    quick) jit=-XX:TieredStopAtLevel=1 ;;
    full) jit="" ;;
    *) echo "cluster.sh: WSCLUSTER_JIT is quick or full" >&2; exit 1 ;;
esac
ready_timeout=${WSCLUSTER_READY_TIMEOUT:-240}
lb=${WSCLUSTER_LB:-haproxy}
lb_dir="$run/lb"
hosts_spec=${WSCLUSTER_HOSTS:-}
read -r -a hosts_list <<< "${hosts_spec//,/ }"
netns=${WSCLUSTER_NETNS:-}
# Runs a command where HAProxy and the probes live: this namespace, or the edge one.
edge=()
[ -n "$netns" ] && edge=(ip netns exec "${netns}edge")
export WSCLUSTER_LB_BIND=${WSCLUSTER_LB_BIND:-127.0.0.1} WSCLUSTER_LB_DIR="$lb_dir"
export WSCLUSTER_LB_PORT=${WSCLUSTER_LB_PORT:-8000}
export WSCLUSTER_LB_TLS_PORT=${WSCLUSTER_LB_TLS_PORT:-8443}
export WSCLUSTER_LB_STATS_PORT=${WSCLUSTER_LB_STATS_PORT:-8404}
export WSCLUSTER_LB_MAX_CONN_PER_IP=${WSCLUSTER_LB_MAX_CONN_PER_IP:-1000}
export WSCLUSTER_LB_MAX_RATE_PER_IP=${WSCLUSTER_LB_MAX_RATE_PER_IP:-200}

secrets="$run/secrets.env"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Writes the secrets file from the environment, generating what is not set; then exports them.
make_secrets() {
    mkdir -p "$run"
    (umask 077
     {
        echo "WSCLUSTER_AUTH_HMAC_SECRET=${WSCLUSTER_AUTH_HMAC_SECRET:-$(openssl rand -hex 32)}"
        echo "WSCLUSTER_API_KEYS=${WSCLUSTER_API_KEYS:-$(openssl rand -hex 24)}"
        echo "WSCLUSTER_ADMIN_TOKEN=${WSCLUSTER_ADMIN_TOKEN:-$(openssl rand -hex 24)}"
        echo "WSCLUSTER_LB_STATS_PASSWORD=${WSCLUSTER_LB_STATS_PASSWORD:-$(openssl rand -hex 16)}"
     } > "$secrets")
    load_secrets
}

load_secrets() {
    [ -f "$secrets" ] || die "no $secrets: start the cluster with 'up' first"
    set -a
    # shellcheck disable=SC1090
    . "$secrets"
    set +a
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

token() { # user [ttl] [channels]
    local user=$1 ttl=${2:-3600} channels=${3:-} header payload signature
    [[ $user =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || die "user ids are 1-64 of A-Z a-z 0-9 . _ @ -"
    [[ $ttl =~ ^[0-9]+$ ]] || die "TTL is in seconds"
    load_secrets
    header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
    payload=$(printf '{"sub":"%s","exp":%d%s}' "$user" $(( $(date +%s) + ttl )) "${channels:+,\"channels\":$channels}" | b64url)
    signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$WSCLUSTER_AUTH_HMAC_SECRET" -binary | b64url)
    echo "$header.$payload.$signature"
}

node_dirs() { ls -d "$run"/node-* 2>/dev/null | sort -V || true; }

alive() { [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null; }

# Node I's address: its entry in WSCLUSTER_HOSTS, or 127.0.0.1.
addr() { echo "${hosts_list[$(($1 - 1))]:-127.0.0.1}"; }

# A plain HTTP GET in bash itself (no curl needed), from the edge: prints the response, status line first.
http_get() { # host port path [authorization]
    "${edge[@]}" timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
        { printf "GET %s HTTP/1.0\r\nHost: %s\r\n" "$3" "$1"
          [ -z "$4" ] || printf "Authorization: %s\r\n" "$4"
          printf "Connection: close\r\n\r\n"; } >&3
        cat <&3' _ "$1" "$2" "$3" "${4:-}" 2>/dev/null
}

ready() { http_get "$1" "$2" /health/ready | head -n 1 | grep -q ' 200 '; } # host port

with_lb() { [ "$lb" != none ]; }

lb_alive() { [ -f "$lb_dir/pid" ] && kill -0 "$(cat "$lb_dir/pid")" 2>/dev/null; }

# HAProxy's servers as "name status" lines, from the statistics CSV (pxname,svname,...; status is field 18).
lb_servers() {
    http_get "$WSCLUSTER_LB_BIND" "$WSCLUSTER_LB_STATS_PORT" '/;csv' "Basic $(printf 'admin:%s' "$WSCLUSTER_LB_STATS_PASSWORD" | openssl base64 -A)" | awk -F, '$1 == "nodes" && $2 != "BACKEND" { print $2, $18 }'
}

start_lb() {
    if ! command -v haproxy >/dev/null; then
        [ "$(id -u)" = 0 ] || die "HAProxy is needed: apt-get install haproxy (or WSCLUSTER_LB=none)"
        echo "installing haproxy" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null
    fi
    mkdir -p "$lb_dir"
    : > "$lb_dir/affinity.map"
    # A self-signed certificate for wss:// on 127.0.0.1 and localhost; clients must trust tls.crt.
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost \
        -addext "subjectAltName=IP:$WSCLUSTER_LB_BIND,IP:127.0.0.1,DNS:localhost" \
        -keyout "$lb_dir/tls.key" -out "$lb_dir/tls.crt" 2>/dev/null
    cat "$lb_dir/tls.crt" "$lb_dir/tls.key" > "$lb_dir/tls.pem"
    haproxy -c -q -f "$here/haproxy.cfg" || die "haproxy.cfg is not valid"
    nohup "${edge[@]}" haproxy -db -f "$here/haproxy.cfg" > "$lb_dir/haproxy.log" 2>&1 &
    echo $! > "$lb_dir/pid"
}

# Waits until HAProxy has the node's server up (the coordinator adds it once the node is READY).
wait_lb() { # node name
    local deadline=$((SECONDS + ready_timeout))
    until lb_servers | grep -q "^$1 UP"; do
        lb_alive || { tail -n 20 "$lb_dir/haproxy.log" >&2; die "haproxy exited"; }
        [ $SECONDS -lt $deadline ] || die "HAProxy does not route to $1 after ${ready_timeout}s"
        sleep 0.5
    done
}

start_node() { # index count
    local i=$1 count=$2
    local dir="$run/node-$i" http=$((http_base + i - 1)) hz=$((hz_base + i - 1)) jg=$((jg_base + i - 1))
    local address members="" hosts="" j jgroups="" launch=()
    address=$(addr "$i")
    for ((j = 1; j <= count; j++)); do
        members+="${members:+,}$(addr "$j"):$((hz_base + j - 1))"
        hosts+="${hosts:+,}$(addr "$j")[$((jg_base + j - 1))]"
    done
    # On separate hosts: the "hosts" JGroups stack bound to the node's address, the node in its namespace.
    [ "$address" != 127.0.0.1 ] && jgroups="-Dwscluster.jgroups.stack=hosts -Dwscluster.jgroups.bind-address=$address"
    [ -n "$netns" ] && launch=(ip netns exec "${netns}node-$i")
    local lb_options=""
    # The nodes keep HAProxy's backend and affinity map in step with the registry (BackendSync, AffinityMapSync).
    # HAProxy is trusted to name the client (X-Forwarded-For) for the limits per client address.
    with_lb && lb_options="-Dwscluster.haproxy.runtime-api=unix:$lb_dir/haproxy.sock -Dwscluster.haproxy.affinity-map=$lb_dir/affinity.map -Dwscluster.handshake.trusted-proxies=$WSCLUSTER_LB_BIND"
    # A fresh root each life: a root kept from an earlier one lists the WAR as deployed, so Micro loads it
    # from there and then again for --deploy (a node restarted twice as slowly, its clients sent away).
    rm -rf "$dir/root"
    mkdir -p "$dir/tmp" "$dir/root"
    # Other applications deployed after the WAR, and libraries on the shared class path (the broadcast API jar).
    local extras=() apps=() app
    [ -z "${WSCLUSTER_ADDLIBS:-}" ] || extras+=(--addlibs "$WSCLUSTER_ADDLIBS")
    IFS=: read -r -a apps <<< "${WSCLUSTER_DEPLOY:-}"
    for app in "${apps[@]}"; do [ -z "$app" ] || extras+=(--deploy "$app"); done
    echo "$http" > "$dir/http-port"
    echo "$address" > "$dir/http-host"
    # The HTTP listener binds the node's own address (the pre-boot file's is 127.0.0.1).
    sed "s/-listener.address=127.0.0.1/-listener.address=$address/" "$here/preboot.asadmin" > "$dir/preboot.asadmin"
    # Every flag that keeps the node on loopback (README, "Network safety"): Hazelcast bound to
    # 127.0.0.1 with a fixed TCP member list, no phone-home, HTTP listener bound by the pre-boot file,
    # JGroups on the "loopback" stack (TCP on 127.0.0.1, TCPPING over the nodes' ports). Hazelcast's
    # own metrics are off: nothing reads them, and collecting them showed in every profile of a node.
    # shellcheck disable=SC2086
    nohup "${launch[@]}" java -Xmx"$heap" $jit -Djava.io.tmpdir="$dir/tmp" -Djava.net.preferIPv4Stack=true \
        -Dhazelcast.socket.bind.any=false -Dhazelcast.phone.home.enabled=false -Dhazelcast.metrics.enabled=false \
        -Dwscluster.node.id="node-$i" -Dwscluster.node.url="http://$address:$http" \
        -Dwscluster.jgroups.bind-port="$jg" -Dwscluster.jgroups.initial-hosts="$hosts" $jgroups \
        $lb_options ${roll_options:-} ${WSCLUSTER_JAVA_OPTS:-} \
        -jar "$micro" \
        --disablePhoneHome --interfaces "$address" --nohostaware \
        --clusterMode "tcpip:$members" --startPort "$hz" --clusterName wscluster-local \
        --name "node-$i" --port "$http" --rootdir "$dir/root" \
        --prebootcommandfile "$dir/preboot.asadmin" \
        --deploy "$war" "${extras[@]}" \
        > "$dir/server.log" 2>&1 &
    echo $! > "$dir/pid"
}

# What a node that did not come up was doing: its log's problems and milestones, its last lines, and
# (if it still runs) the stacks of the start-up thread and of every thread in wscluster code.
startup_report() { # dir
    local dir=$1
    {
        echo "--- $(basename "$dir"): warnings, errors and milestones from server.log"
        grep -E '^(SEVERE|WARNING|ERROR)|ISPN000094|Joined cluster|ready in|Caused by' "$dir/server.log" | tail -n 40
        echo "--- last lines of server.log"
        tail -n 40 "$dir/server.log"
        if alive "$dir" && command -v jcmd >/dev/null; then
            echo "--- threads in start-up or wscluster code"
            jcmd "$(cat "$dir/pid")" Thread.print 2>/dev/null \
                | awk -v RS= '/io\.wscluster|PayaraMicroImpl\.bootStrap/ { print; print "" }' | head -n 150
        fi
    } >&2 || true
}

wait_ready() { # dir
    local dir=$1 http host deadline
    http=$(cat "$dir/http-port")
    host=$(cat "$dir/http-host")
    deadline=$((SECONDS + ready_timeout))
    until ready "$host" "$http"; do
        alive "$dir" || { startup_report "$dir"; die "$(basename "$dir") exited during start-up"; }
        [ $SECONDS -lt $deadline ] || { startup_report "$dir"; die "$(basename "$dir") not ready after ${ready_timeout}s"; }
        sleep 1
    done
    # Micro logs "ready" even when the deployment failed; readiness above proves the app is up.
}

ready_nodes() { # host port: how many READY nodes that node's registry lists
    http_get "$1" "$2" /api/cluster/nodes "Bearer $WSCLUSTER_ADMIN_TOKEN" | grep -o '"state":"READY"' | wc -l
}

up() {
    local count=${1:-3} i deadline
    [[ $count =~ ^[1-9][0-9]?$ ]] || die "node count must be 1-99"
    [ -f "$micro" ] && [ -f "$war" ] || die "run ./mvnw -DskipTests package first"
    [ -z "$(node_dirs)" ] || die "a cluster is already laid out in $run; run 'down' first"
    for ((i = 1; i <= count; i++)); do
        if ready "$(addr "$i")" $((http_base + i - 1)); then die "$(addr "$i"):$((http_base + i - 1)) is already serving"; fi
    done
    command -v openssl >/dev/null || die "openssl is needed for the secrets and the local TLS certificate"
    make_secrets
    with_lb && start_lb
    for ((i = 1; i <= count; i++)); do start_node "$i" "$count"; done
    for ((i = 1; i <= count; i++)); do wait_ready "$run/node-$i"; done
    deadline=$((SECONDS + ready_timeout))
    until [ "$(ready_nodes "$(addr 1)" "$http_base")" -ge "$count" ]; do
        [ $SECONDS -lt $deadline ] || die "the registry does not show $count READY nodes after ${ready_timeout}s"
        sleep 0.5
    done
    if with_lb; then
        for ((i = 1; i <= count; i++)); do wait_lb "node-$i"; done
    fi
    echo "wscluster: $count node(s) ready"
    echo "  secrets  $secrets  (tokens: $0 token USER; API key: WSCLUSTER_API_KEYS; operations: WSCLUSTER_ADMIN_TOKEN)"
    if with_lb; then
        echo "  entry    ws://$WSCLUSTER_LB_BIND:$WSCLUSTER_LB_PORT/ws  http://$WSCLUSTER_LB_BIND:$WSCLUSTER_LB_PORT/demo/  (HAProxy pid $(cat "$lb_dir/pid"))"
        echo "  tls      wss://$WSCLUSTER_LB_BIND:$WSCLUSTER_LB_TLS_PORT/ws  (self-signed: trust $lb_dir/tls.crt)"
        echo "  stats    http://$WSCLUSTER_LB_BIND:$WSCLUSTER_LB_STATS_PORT/  (user admin, password WSCLUSTER_LB_STATS_PASSWORD)"
    fi
    echo "  dashboard http://$(addr 1):$http_base/dashboard/#token=\$WSCLUSTER_ADMIN_TOKEN  (on the nodes only)"
    for ((i = 1; i <= count; i++)); do
        local http=$((http_base + i - 1))
        echo "  node-$i  pid $(cat "$run/node-$i/pid")  ws://$(addr "$i"):$http/ws  http://$(addr "$i"):$http/api/"
    done
}

# Starts node I again with the cluster's member lists (it rejoins, and HAProxy gets it back).
start() {
    local i=$1 count dir
    [[ $i =~ ^[1-9][0-9]?$ ]] || die "node number must be 1-99"
    count=$(node_dirs | wc -l)
    dir="$run/node-$i"
    [ -d "$dir" ] && [ "$i" -le "$count" ] || die "node-$i is not part of the cluster in $run"
    alive "$dir" && die "node-$i is running (pid $(cat "$dir/pid"))"
    load_secrets
    start_node "$i" "$count"
    wait_ready "$dir"
    with_lb && wait_lb "node-$i"
    echo "node-$i  pid $(cat "$dir/pid")  ready"
}

# True when every node's readiness says its caches are not moving entries between owners.
settled() { # count
    local i dir body
    for ((i = 1; i <= $1; i++)); do
        dir="$run/node-$i"
        body=$(http_get "$(cat "$dir/http-host")" "$(cat "$dir/http-port")" /health/ready "") || return 1
        grep -Eq '"rebalancing" *: *"?false' <<<"$body" || return 1
    done
}

# Replaces every node, one at a time, with the build now in payara/target (the same build restarted, or a
# newer one) and the configuration now in the environment (wscluster.channels too): each drained first (SIGTERM: its clients move to
# the others and resume from their positions), started again, and the next one only once this one is READY in
# the registry and back in HAProxy, and no node's caches are still rebalancing (no stream is left with one copy).
roll() {
    local count i dir pid deadline
    # Each node started by the roll puts its wscluster.channels in force across the cluster (when it differs).
    roll_options="-Dwscluster.channels.replace=true"
    count=$(node_dirs | wc -l)
    [ "$count" -gt 0 ] || die "no cluster in $run"
    load_secrets
    for ((i = 1; i <= count; i++)); do
        dir="$run/node-$i"
        if alive "$dir"; then
            pid=$(cat "$dir/pid")
            kill -TERM "$pid" 2>/dev/null || true
            deadline=$((SECONDS + 60))
            while kill -0 "$pid" 2>/dev/null; do
                [ $SECONDS -lt $deadline ] || die "node-$i (pid $pid) did not exit within 60 s of SIGTERM"
                sleep 0.2
            done
        fi
        start_node "$i" "$count"
        wait_ready "$dir"
        with_lb && wait_lb "node-$i"
        deadline=$((SECONDS + ready_timeout))
        until [ "$(ready_nodes "$(addr 1)" "$http_base")" -ge "$count" ] && settled "$count"; do
            [ $SECONDS -lt $deadline ] || die "after node-$i: not $count READY and settled within ${ready_timeout}s"
            sleep 0.5
        done
        echo "node-$i  pid $(cat "$dir/pid")  rolled"
    done
}

status() {
    local dir state
    [ -n "$(node_dirs)" ] || { echo "no nodes"; return 0; }
    for dir in $(node_dirs); do
        if ! alive "$dir"; then state="stopped"
        elif ready "$(cat "$dir/http-host")" "$(cat "$dir/http-port")"; then state="ready"
        else state="starting"; fi
        printf '%s  pid %s  http %s  %s\n' "$(basename "$dir")" "$(cat "$dir/pid" 2>/dev/null)" "$(cat "$dir/http-port")" "$state"
    done
    if lb_alive; then
        load_secrets
        echo "haproxy  pid $(cat "$lb_dir/pid")  entry $WSCLUSTER_LB_PORT  servers: $(lb_servers | tr '\n' ' ')"
    fi
}

down() {
    local dir pid deadline
    # SIGTERM makes each node drain (clients closed with 1012 in waves) and exit; all at once, then wait.
    for dir in $(node_dirs); do
        # A node may exit between the check and the signal: gone by itself is down as well.
        if alive "$dir"; then kill -TERM "$(cat "$dir/pid")" 2>/dev/null || true; fi
    done
    deadline=$((SECONDS + 40))
    for dir in $(node_dirs); do
        if alive "$dir"; then
            pid=$(cat "$dir/pid")
            while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
            if kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null; then echo "killed $(basename "$dir") (pid $pid)"
            else echo "stopped $(basename "$dir") (pid $pid)"; fi
        fi
        rm -rf "$dir"
    done
    if lb_alive; then
        pid=$(cat "$lb_dir/pid")
        kill -TERM "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        echo "stopped haproxy (pid $pid)"
    fi
    rm -rf "$lb_dir" "$secrets"
}

case "${1:-}" in
    up) up "${2:-3}" ;;
    start) start "${2:-}" ;;
    roll) roll ;;
    status) status ;;
    down) down ;;
    token) shift; token "$@" ;;
    *) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
