#!/usr/bin/env bash
# A rolling restart under load: 3 nodes behind HAProxy, subscribers on one channel publishing over REST
# through HAProxy, and `payara/cluster.sh roll` replacing every node one at a time (each drained, started
# again, the next once it is READY, back in HAProxy and no node's caches are rebalancing) 10 s into
# publishing. Reports the roll's time per node and the clients' loss, duplicates and latency meanwhile.
#
#   bench/rolling.sh [subscribers] [rate]      default 1000, 10 msgs/s; BENCH_HISTORY=N gives the channel history
#
# Reports: bench/results/rolling-*.
source "$(dirname "$0")/lib.sh"
subscribers=${1:-1000}
rate=${2:-10}
duration=${BENCH_DURATION:-240s}
build_if_needed
echo "# rolling restart, $(date -u +%FT%TZ), $machine"
cluster_up 3
dir="$results/rolling-$stamp"
mkdir -p "$dir"
loadtest "$dir" "rolling restart, $subscribers subscribers$channel_note" --connections="$subscribers" --ramp=500 \
    --channels=hot --rate="$rate" --publish-via=rest --warmup=5s --duration="$duration" &
tool=$!
sleep 25 # the ramp and the warm-up, then 10 s of publishing
started=$SECONDS
payara/cluster.sh roll | while read -r line; do echo "$((SECONDS - started)) s  $line"; done | tee "$dir/roll.txt"
echo "roll: $((SECONDS - started)) s for 3 nodes" | tee -a "$dir/roll.txt"
wait "$tool" || true
cluster_down "$dir"
cat "$dir/summary.txt"
