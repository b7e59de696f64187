#!/usr/bin/env bash
# Latency at a fixed moderate load: 1,000 subscribers on one channel across 3 nodes (via HAProxy), 10
# messages/s from a publisher: 10,000 deliveries/s; reports p50, p95, p99, p99.9 and max.
#
#   bench/latency.sh [subscribers] [rate] [duration]       default 1000 10 60s
#
# BENCH_DIRECT=1 connects to the three nodes directly instead of through HAProxy (its share of the latency);
# BENCH_HISTORY=N gives the channel a history of N messages, BENCH_PRESENCE=1 presence (see lib.sh).
source "$(dirname "$0")/lib.sh"
# The tool measures latency where it receives: at 100,000 deliveries a second its own hot path needs the
# full JIT (its default, the quick tier only, suits runs of connections).
full_jit=(--worker-jvm-options=-XX:+TieredCompilation)
subscribers=${1:-1000}
rate=${2:-10}
duration=${3:-60s}
build_if_needed
echo "# latency, $(date -u +%FT%TZ), $machine"
cluster_up 3
targets=ws://127.0.0.1:8000/ws
via="via HAProxy"
if [ "${BENCH_DIRECT:-0}" = 1 ]; then
    targets=ws://127.0.0.1:8080/ws,ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws
    via="direct to the nodes"
fi
dir="$results/latency-$stamp"
loadtest "$dir" "latency, $subscribers subscribers x $rate msgs/s, $via$channel_note" --targets="$targets" --connections="$subscribers" --ramp=500 "${full_jit[@]}" \
    --channels=hot --rate="$rate" --warmup=10s --duration="$duration" --node-cpu
cluster_down "$dir"
echo
table "$dir"
