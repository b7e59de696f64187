#!/usr/bin/env bash
# Cross-node throughput and latency on a local cluster of 2 and 3 nodes.
#
#   bench/cross-node.sh [rates] [seconds]      e.g. bench/cross-node.sh 1000,2000,4000,8000 10
#
# For each cluster size: starts the cluster with payara/cluster.sh (on 127.0.0.1), runs
# io.wscluster.loadtest.CrossNodeBenchmark (subscribers on every node, publishers spread over the
# nodes, publish-to-deliver latency per step), prints its table, keeps it under bench/results/,
# and stops the cluster. Needs ./mvnw -DskipTests package first. Bounded: each step runs for
# [seconds] plus at most 10 s of draining; nothing runs past the last step.
set -euo pipefail
cd "$(dirname "$0")/.."

rates=${1:-1000,2000,4000,8000}
seconds=${2:-10}
subscribers=${BENCH_SUBSCRIBERS:-10}
results=bench/results
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
cp="loadtest/target/classes:loadtest/target/lib/*"
[ -d loadtest/target/lib ] || { echo "run ./mvnw -DskipTests package first" >&2; exit 1; }

trap 'payara/cluster.sh down >/dev/null 2>&1 || true' EXIT
for nodes in 2 3; do
    payara/cluster.sh up "$nodes" >/dev/null
    urls=$(seq 0 $((nodes - 1)) | sed 's|.*|http://127.0.0.1:$((8080+&))|' | while read -r u; do eval echo "$u"; done | paste -sd,)
    out="$results/cross-node-${nodes}n-$stamp.txt"
    {
        echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; cluster of $nodes on one machine, benchmark client on the same machine"
        java -cp "$cp" io.wscluster.loadtest.CrossNodeBenchmark --nodes="$urls" --subscribers="$subscribers" \
            --rates="$rates" --seconds="$seconds" --drain-seconds=10
    } | tee "$out"
    payara/cluster.sh down >/dev/null
done
