#!/usr/bin/env bash
# Soak: a 3-node cluster under steady publishing for MINUTES (default 60), with connection churn and a node
# drained and restarted every few minutes; after every interval it samples each node (heap after a full GC,
# RSS, threads, open files) and the interval's latency and loss, then says whether anything grows.
#
#   bench/soak.sh [minutes]
#
# Each interval (BENCH_SOAK_INTERVAL seconds, default 120) is one load-tool run through HAProxy: a fresh set
# of BENCH_SOAK_CLIENTS subscribers (default 1000, so every client of the last interval has left and new ones
# came) on 50 channels of Zipf popularity, 2 subscriptions each, BENCH_SOAK_RATE messages/s published over
# REST (default 20, about 3,000 deliveries/s, which this 2-core machine carries beside the load tool: the soak
# looks for growth, not for the limit). Every BENCH_SOAK_DRAIN_EVERY-th interval (default 3) node-2 or node-3 (in turn) is
# drained (SIGTERM) halfway through and started again afterwards; node-1 lives through the whole soak, so its
# samples show whether state accumulates as nodes and clients come and go. The channels keep history
# (BENCH_HISTORY, default 1000) and presence (BENCH_PRESENCE, default 1), so drained clients recover and
# presence entries are made and removed all the time.
# Writes nodes.tsv, intervals.tsv, verdict.txt and heap/RSS/latency PNGs to bench/results/soak-*.
export BENCH_HISTORY=${BENCH_HISTORY:-1000} BENCH_PRESENCE=${BENCH_PRESENCE:-1}
source "$(dirname "$0")/lib.sh"
minutes=${1:-60}
interval=${BENCH_SOAK_INTERVAL:-120}
clients=${BENCH_SOAK_CLIENTS:-1000}
rate=${BENCH_SOAK_RATE:-20}
drain_every=${BENCH_SOAK_DRAIN_EVERY:-3}
[[ $minutes =~ ^[1-9][0-9]*$ ]] || { echo "minutes must be a whole number" >&2; exit 2; }
[ "$interval" -ge 45 ] || { echo "BENCH_SOAK_INTERVAL must be at least 45 seconds" >&2; exit 2; }
build_if_needed
dir="$results/soak-$stamp"
mkdir -p "$dir"
echo "# soak, $minutes min, $(date -u +%FT%TZ), $machine, $clients clients per interval, $rate msgs/s$channel_note" | tee "$dir/README"
cluster_up 3
start=$SECONDS
printf 'minute\tnode\tpid\theap after GC MiB\tRSS MiB\tthreads\topen files\n' > "$dir/nodes.tsv"
printf 'minute\tdrained\tp50 ms\tp99 ms\tmax ms\tlost\tduplicates\tout of order\n' > "$dir/intervals.tsv"

# Samples every running node: a full GC first, so the heap figure is what the node retains.
sample_nodes() { # minute
    local node pid heap rss threads files
    for node in payara/target/run/node-*; do
        pid=$(cat "$node/pid" 2>/dev/null) || continue
        kill -0 "$pid" 2>/dev/null || continue
        jcmd "$pid" GC.run >/dev/null 2>&1 || continue
        heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -n 1 | tr -dc 0-9)
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
        threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
        files=$(ls "/proc/$pid/fd" | wc -l)
        printf '%s\t%s\t%s\t%d\t%d\t%s\t%s\n' "$1" "$(basename "$node")" "$pid" $((heap / 1024)) $((rss / 1024)) "$threads" "$files" >> "$dir/nodes.tsv"
    done
}

round=0
victim=3
while [ $((SECONDS - start + interval)) -le $((minutes * 60)) ]; do
    round=$((round + 1))
    drained=-
    kill_options=()
    if [ $((round % drain_every)) = 0 ]; then
        drained=node-$victim
        kill_options=(--kill="$drained@$(( (interval - 25) / 2 ))s" --kill-signal=TERM)
    fi
    run="$dir/interval-$round"
    loadtest "$run" "soak interval $round" --connections="$clients" --ramp=500 \
        --channels=skewed:50 --subscriptions=2 --rate="$rate" --publish-via=rest \
        --warmup=5s --duration="$((interval - 25))s" "${kill_options[@]}" > "$run.log" 2>&1 || echo "interval $round: load tool exited with $?" | tee -a "$dir/README"
    if [ "$drained" != - ]; then
        payara/cluster.sh start "$victim" >> "$dir/restarts.log" 2>&1 || { echo "node-$victim did not come back" | tee -a "$dir/README"; break; }
        victim=$((5 - victim))
    fi
    minute=$(awk -v s=$((SECONDS - start)) 'BEGIN { printf "%.1f", s / 60 }')
    if [ -f "$run/figures.tsv" ]; then
        awk -F'\t' -v m="$minute" -v d="$drained" 'NR == 2 { gsub(",", ""); print m "\t" d "\t" $6 "\t" $8 "\t" $10 "\t" $11 "\t" $12 "\t" $13 }' "$run/figures.tsv" >> "$dir/intervals.tsv"
    fi
    sample_nodes "$minute"
    tail -n 1 "$dir/intervals.tsv"
done
cluster_down "$dir"
echo
java -cp "$jar" io.wscluster.loadtest.soak.SoakReport "$dir"
echo "samples and charts: $dir"
