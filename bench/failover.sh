#!/usr/bin/env bash
# Failover through HAProxy: 3 nodes, subscribers publishing-while-failing; node-1 (the JGroups coordinator,
# which also drives HAProxy) is crashed (kill -9) or drained (SIGTERM) 10 s into publishing. Reports how
# long until every affected client was connected and resubscribed again, and the messages it lost meanwhile.
#
#   bench/failover.sh [crash|drain|both] [subscribers] [rate]      default both, 1000, 10 msgs/s
#
# Messages are published over REST through HAProxy, so publishing goes on while node-1 is gone (a socket
# publisher on node-1 would itself be down for the gap, and the subscribers' loss would not show).
# The load is the latency scenario's (10,000 deliveries/s), which this machine carries; a failover on an
# overloaded cluster measures the overload instead (3,000 x 20 msgs/s here: p50 latency 22 s, health
# checks failing, HAProxy answering 503). BENCH_HISTORY=N gives the channel a history of N messages:
# clients resubscribe from their position and lose nothing (see lib.sh). Reports: bench/results/failover-*.
source "$(dirname "$0")/lib.sh"
which=${1:-both}
subscribers=${2:-1000}
rate=${3:-10}
build_if_needed
echo "# failover, $(date -u +%FT%TZ), $machine"
dirs=()
for kind in crash drain; do
    [ "$which" = both ] || [ "$which" = "$kind" ] || continue
    signal=KILL
    [ $kind = drain ] && signal=TERM
    cluster_up 3
    dir="$results/failover-$kind-$stamp"
    dirs+=("$dir")
    loadtest "$dir" "failover ($kind), $subscribers subscribers$channel_note" --connections="$subscribers" --ramp=500 \
        --channels=hot --rate="$rate" --publish-via=rest --warmup=5s --duration=30s --kill=node-1@10s --kill-signal=$signal
    cluster_down "$dir"
done
echo
for dir in "${dirs[@]}"; do grep -A2 failover "$dir/summary.txt"; done
