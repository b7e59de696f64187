#!/usr/bin/env bash
# Fan-out: one hot channel, many subscribers spread over 3 nodes by HAProxy; the publish rate is stepped
# up until p99 latency passes BENCH_P99_MS (default 10) or a message is lost. Prints the table of every
# step (with deliveries per CPU-second of the node processes) and the highest step that held.
#
#   bench/fanout.sh [subscribers] [rates]       default 2000 and 5,10,20,40,80,160 msgs/s
#
# Each step: a fresh set of connections, BENCH_WARMUP (5s) of publishing, then BENCH_DURATION (20s)
# measured. BENCH_DIRECT=1 connects to the three nodes directly instead of through HAProxy;
# BENCH_PROCESSES (default: as the tool decides) spreads the clients over that many processes;
# BENCH_HISTORY=N gives the channel a history of N messages, BENCH_PRESENCE=1 presence (see lib.sh).
# Reports: bench/results/fanout-*.
source "$(dirname "$0")/lib.sh"
# The tool measures latency where it receives: at 100,000 deliveries a second its own hot path needs the
# full JIT (its default, the quick tier only, suits runs of connections).
full_jit=(--worker-jvm-options=-XX:+TieredCompilation)
subscribers=${1:-2000}
rates=${2:-5,10,20,40,80,160}
slo=${BENCH_P99_MS:-10}
build_if_needed
echo "# fan-out, $(date -u +%FT%TZ), $machine"
cluster_up 3
targets=ws://127.0.0.1:8000/ws
if [ "${BENCH_DIRECT:-0}" = 1 ]; then
    targets=ws://127.0.0.1:8080/ws,ws://127.0.0.1:8081/ws,ws://127.0.0.1:8082/ws
fi
processes=()
[ -n "${BENCH_PROCESSES:-}" ] && processes=(--processes="$BENCH_PROCESSES")
dirs=()
held=none
step=0
for rate in ${rates//,/ }; do
    step=$((step + 1))
    dir="$results/fanout-$stamp/step-$step-rate-$rate" # a rate may repeat (100,100: a fresh cluster's warm-up)
    dirs+=("$dir")
    status=0
    loadtest "$dir" "fan-out $rate msgs/s x $subscribers$channel_note" --targets="$targets" --connections="$subscribers" --ramp=500 "${full_jit[@]}" \
        "${processes[@]}" --node-cpu \
        --channels=hot --rate="$rate" --warmup="${BENCH_WARMUP:-5s}" --duration="${BENCH_DURATION:-20s}" \
        --slo-p99-ms="$slo" || status=$?
    [ $status = 0 ] || [ $status = 3 ] || exit $status
    if [ $status = 3 ]; then break; fi
    held="$rate msgs/s = $(awk -F'\t' 'NR==2{print $5}' "$dir/figures.tsv") deliveries/s"
done
cluster_down "$results/fanout-$stamp"
echo
table "${dirs[@]}"
echo
echo "highest step with p99 <= $slo ms and nothing lost: $held"
