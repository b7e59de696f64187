# Shared by the bench/*.sh scenarios (sourced, not run): builds what is missing, starts and stops a local
# cluster with payara/cluster.sh (everything on 127.0.0.1), runs the load-test tool, keeps reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jar=loadtest/target/wscluster-loadtest.jar
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=bench/results
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -n 1)"

# BENCH_HISTORY=N: the bench's channels (room.bench.*) keep their last N messages in the cluster, so every
# publish is stored on two nodes before it is acknowledged and clients resubscribe from their position.
# BENCH_PRESENCE=1: the bench's channels track presence (every subscription is a replicated entry).
channel_options=()
[ -n "${BENCH_HISTORY:-}" ] && channel_options+=("history=$BENCH_HISTORY")
[ "${BENCH_PRESENCE:-0}" = 1 ] && channel_options+=("presence")
channel_note=""
if [ ${#channel_options[@]} -gt 0 ]; then
    joined=$(IFS=';'; echo "${channel_options[*]}")
    export WSCLUSTER_JAVA_OPTS="${WSCLUSTER_JAVA_OPTS:-} -Dwscluster.channels=room.bench.*{$joined},news,alerts,chat.*,room.*"
    channel_note=", channels {$joined}"
    stamp="$stamp-${joined//[=;]/-}"
fi

# Every load client comes from 127.0.0.1: the limits per client address are lifted for the bench (the
# load tool still signs a token for each of its users with the cluster's secret, as real clients would).
export WSCLUSTER_JAVA_OPTS="${WSCLUSTER_JAVA_OPTS:-} -Dwscluster.handshake.max-connections-per-address=0 -Dwscluster.handshake.max-per-second-per-address=0"
export WSCLUSTER_LB_MAX_CONN_PER_IP=${WSCLUSTER_LB_MAX_CONN_PER_IP:-1000000} WSCLUSTER_LB_MAX_RATE_PER_IP=${WSCLUSTER_LB_MAX_RATE_PER_IP:-1000000}

# Builds the WAR, the Payara layout and the tool once, when any of them is missing.
build_if_needed() {
    if [ ! -f "$jar" ] || [ ! -f payara/target/wscluster.war ] || [ ! -f payara/target/payara-micro.jar ]; then
        ./mvnw -B -q -DskipTests package
    fi
}

# cluster_up N [extra environment for cluster.sh]: a fresh cluster, stopped again when the script exits.
cluster_up() {
    local nodes=$1
    shift
    payara/cluster.sh down >/dev/null 2>&1 || true
    trap 'payara/cluster.sh down >/dev/null 2>&1 || true' EXIT
    env "$@" payara/cluster.sh up "$nodes" >/dev/null
}

# cluster_down [REPORT_DIR]: stops the cluster; with a report directory, keeps the nodes' logs in it first.
cluster_down() {
    if [ -n "${1:-}" ]; then
        mkdir -p "$1/logs"
        for log in payara/target/run/node-*/server.log payara/target/run/lb/haproxy.log; do
            [ -f "$log" ] && cp "$log" "$1/logs/$(basename "$(dirname "$log")").log"
        done
    fi
    payara/cluster.sh down >/dev/null 2>&1 || true
}

# loadtest REPORT_DIR LABEL [options]: runs the tool, keeps its report; returns the tool's exit code.
loadtest() {
    local dir=$1 label=$2
    shift 2
    mkdir -p "$dir"
    java -jar "$jar" --report="$dir" --label="$label" "$@"
}

# Prints a markdown table from the figures.tsv of the given report directories (one row each).
table() {
    local first=1 dir
    for dir in "$@"; do
        [ -f "$dir/figures.tsv" ] || continue
        if [ $first = 1 ]; then
            head -n 1 "$dir/figures.tsv" | sed 's/\t/ | /g; s/^/| /; s/$/ |/'
            head -n 1 "$dir/figures.tsv" | sed 's/[^\t]*/---/g; s/\t/|/g; s/^/|/; s/$/|/'
            first=0
        fi
        tail -n 1 "$dir/figures.tsv" | sed 's/\t/ | /g; s/^/| /; s/$/ |/'
    done
}
