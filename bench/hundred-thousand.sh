#!/usr/bin/env bash
# 100,000 connections held across one cluster on this one machine: 6 nodes (each a process of its own, at
# most 20,000 open files), clients straight to the nodes (one HAProxy process could hold only ~10,000),
# the load tool spread over processes and source addresses in 127.0.0.0/8, and a broadcast every 5 s over
# REST that every client must receive, nothing lost. Prints every node's heap, RSS and CPU.
#
#   bench/hundred-thousand.sh [connections] [nodes]        default 100000 and 6
#
# Memory budget, stated before the run: 6 nodes x (WSCLUSTER_HEAP 1536m + ~700 MiB outside the heap) =
# 13.2 GiB at most, and 7 tool processes x (1 GiB heap + ~300 MiB) = 9.1 GiB at most: 22.3 GiB of 24. Reports:
# bench/results/hundred-thousand-*.
source "$(dirname "$0")/lib.sh"
connections=${1:-100000}
nodes=${2:-6}
ramp=${BENCH_RAMP:-500}
hold=${BENCH_HOLD:-30s}
# Attempts in flight at once: 13 JVMs on two cores accept far below the ramp until they are warm, and an
# open-loop ramp piles its excess into the listen queues past the handshake timeout (then retries it).
in_flight=${BENCH_IN_FLIGHT:-300}
# The clients' ping interval (the client library's default is 25 s): what holding them costs both sides.
heartbeat=${BENCH_HEARTBEAT:-25s}
export WSCLUSTER_HEAP=${WSCLUSTER_HEAP:-1536m}
# 13 JVMs on two cores: a node can go seconds without the CPU to send JGroups' heartbeats, and with the
# loopback default (1 s) the others suspect it, the view splits and merges, and the merge's sweep closes
# the clients that are slow to answer. BENCH_FD_TIMEOUT_MS (10 s) tells a slow member from a dead one here.
export WSCLUSTER_JAVA_OPTS="${WSCLUSTER_JAVA_OPTS:-} -Dwscluster.jgroups.fd-timeout-ms=${BENCH_FD_TIMEOUT_MS:-10000}"
build_if_needed
echo "# $connections connections on $nodes nodes, $(date -u +%FT%TZ), $machine; node heap $WSCLUSTER_HEAP"

cluster_up "$nodes" WSCLUSTER_LB=none
targets=$(for i in $(seq 0 $((nodes - 1))); do printf 'ws://127.0.0.1:%d/ws,' $((8080 + i)); done)
report="$results/hundred-thousand-$stamp"
# One broadcast every 5 s (--rate=0.2 over REST) reaches every connection: all subscribe to one channel.
loadtest "$report" "$connections connections, $nodes nodes" --targets="${targets%,}" --connections="$connections" \
    --ramp="$ramp" --max-in-flight="$in_flight" --processes=7 --rate=0.2 --publishers=1 --publish-via=rest --warmup=5s --duration="$hold" \
    --heartbeat="$heartbeat" --connect-timeout="${BENCH_CONNECT_TIMEOUT:-600s}" --sample-nodes=payara/target/run --node-cpu || true
cluster_down "$report"
table "$report"
