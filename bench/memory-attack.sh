#!/usr/bin/env bash
# The memory attack of a client without a token, and what it costs everyone else: node-1 of two receives
# ATTACKERS sockets (default 100), each announcing a 4,194,000-byte text frame and sending 1 MiB of it,
# then holding; meanwhile 200 clients through HAProxy receive 100 msgs/s. Prints node-1's heap after a GC
# and the bystanders' delivery latency before the attack and during it, and how the node answered the
# attack's sockets.
#
#   bench/memory-attack.sh [attackers] [bytes sent per attacker]        default 100 and 1048576
#
# Reports: bench/results/memory-attack-*.
source "$(dirname "$0")/lib.sh"
attackers=${1:-100}
sent=${2:-1048576}
build_if_needed
echo "# memory attack: $attackers sockets x $sent bytes of a 4,194,000-byte frame on node-1, $(date -u +%FT%TZ), $machine"

cluster_up 2
pid=$(cat payara/target/run/node-1/pid)
used_heap() { # node-1's used heap as found, in MiB
    jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%d", v / 1024; exit } }'
}
heap() { # node-1's used heap after a full GC, in MiB
    jcmd "$pid" GC.run >/dev/null 2>&1 || true
    used_heap
}
summary() { # REPORT_JSON: the run's latency and losses
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l, m = r["latencyMs"], r["messages"]
print("p50 %s / p99 %s / max %s; lost %s of %s" % (l.get("p50"), l.get("p99"), l.get("max"), m["lost"], m["expected"]))
PY
}
bystanders() { # REPORT LABEL
    loadtest "$1" "$2" --targets=ws://127.0.0.1:8000/ws --connections=200 --rate=100 --publish-via=rest \
        --warmup=3s --duration=20s >/dev/null || true
    summary "$1/report.json"
}

before_heap=$(heap)
before=$(bystanders "$results/memory-attack-$stamp-before" "before the attack")
java bench/FrameFlood.java ws://127.0.0.1:8080/ws "$attackers" 4194000 "$sent" 45 > "$results/memory-attack-$stamp-attack.txt" 2>&1 &
flood=$!
# The bystanders' run below is measured once every attack socket has sent its part and holds (bounded wait).
for _ in $(seq 1 120); do grep -q "sockets sent" "$results/memory-attack-$stamp-attack.txt" 2>/dev/null && break; sleep 0.5; done
during_heap_sample=$(used_heap)
during=$(bystanders "$results/memory-attack-$stamp-during" "during the attack")
during_heap=$(heap)
wait "$flood" || true
cluster_down "$results/memory-attack-$stamp-during"

echo "| phase | node-1 heap used, MiB | bystanders' latency (ms) |"
echo "|---|---|---|"
echo "| before | $before_heap (after GC) | $before |"
echo "| during | $during_heap_sample (as found), $during_heap (after GC) | $during |"
echo
cat "$results/memory-attack-$stamp-attack.txt"
