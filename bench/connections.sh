#!/usr/bin/env bash
# Connections: the most concurrent idle connections one node holds, with its heap (after a full GC, from
# the JVM via jcmd) and RSS per connection; then the same across a 3-node cluster.
#
#   bench/connections.sh [per-node] [per-node-in-cluster]     default 19000 and 10000
#
# One node is asked for 19,000 (a process may hold at most 20,000 open files here, so this is the ceiling
# of this machine, not of the node); the 3-node cluster for the target's 10,000 per node, ramped more
# gently (BENCH_CLUSTER_RAMP, default 250/s) since its three nodes share the same two cores.
# Each node runs with WSCLUSTER_HEAP (default 2g here), alone (no HAProxy: one HAProxy process holds
# only ~10,000 clients under the same limit), and the clients connect to the nodes directly. Connections
# hold for BENCH_HOLD (default 20s), pinging as real clients do.
# Then the accept rate: BENCH_ACCEPT (6000) connections asked for at BENCH_ACCEPT_RAMP (1500/s), faster than
# the nodes take them, so the connections per second the tool prints is what the cluster accepts (connect,
# authenticate, subscribe), with the node CPU each took. Measured on a fresh 3-node cluster (its first
# round), then on the same cluster warmed: after BENCH_ACCEPT_WARM_ROUNDS (3) more rounds came and went,
# 24,000 connections in all. Reports: bench/results/connections-*.
source "$(dirname "$0")/lib.sh"
per_node=${1:-19000}
cluster_per_node=${2:-10000}
ramp=${BENCH_RAMP:-600}
cluster_ramp=${BENCH_CLUSTER_RAMP:-250}
hold=${BENCH_HOLD:-20s}
accept=${BENCH_ACCEPT:-6000}
accept_ramp=${BENCH_ACCEPT_RAMP:-1500}
warm_rounds=${BENCH_ACCEPT_WARM_ROUNDS:-3}
export WSCLUSTER_HEAP=${WSCLUSTER_HEAP:-2g}
build_if_needed
echo "# connections, $(date -u +%FT%TZ), $machine; node heap $WSCLUSTER_HEAP"

cluster_up 1 WSCLUSTER_LB=none
one="$results/connections-1node-$stamp"
loadtest "$one" "connections, 1 node" --targets=ws://127.0.0.1:8080/ws --connections="$per_node" \
    --ramp="$ramp" --duration="$hold" --connect-timeout=120s --sample-nodes=payara/target/run --node-cpu || true
cluster_down

nodes=ws://127.0.0.1:8080/ws,ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws
cluster_up 3 WSCLUSTER_LB=none
three="$results/connections-3nodes-$stamp"
loadtest "$three" "connections, 3 nodes" --targets=$nodes \
    --connections=$((cluster_per_node * 3)) --ramp="$cluster_ramp" --duration="$hold" --connect-timeout=120s \
    --sample-nodes=payara/target/run --node-cpu || true
cluster_down

cluster_up 3 WSCLUSTER_LB=none
rate="$results/connections-accept-$stamp"
accept_round() {
    loadtest "$1" "$2" --targets=$nodes --connections="$accept" --ramp="$accept_ramp" --duration=2s \
        --connect-timeout=120s --node-cpu
}
accept_round "$rate-fresh" "accept rate, 3 nodes, fresh" || true
for round in $(seq 1 "$warm_rounds"); do
    accept_round "$rate-warm-$round" "accept rate: warm-up $round" >/dev/null 2>&1 || true
done
accept_round "$rate" "accept rate, 3 nodes, warmed" || true
cluster_down

table "$one" "$three" "$rate-fresh" "$rate"
