#!/usr/bin/env bash
# Memory under hostile clients: our server on TCP, COPIES nbdcopy processes (4 connections each)
# self-copying in a loop with every write verified, and test-support's HostileClients (fuzzed
# requests, garbage handshakes, IDLE idle connections) for SECONDS. Samples the server's resident
# memory every second; prints the peak (VmHWM), the last sample, whether every copy passed and
# whether the server still answers afterwards.
#
#   bench/hostile.sh [-t SECONDS] [-c COPIES] [-w WORKERS] [-i IDLE] [SIZE [PARAM=VALUE ...]]
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
secs=90 copies=16 workers=16 idle=300
while getopts "t:c:w:i:" opt; do
    case $opt in
        t) secs=$OPTARG ;;
        c) copies=$OPTARG ;;
        w) workers=$OPTARG ;;
        i) idle=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [-c COPIES] [-w WORKERS] [-i IDLE] [SIZE [PARAM=VALUE ...]]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 2G
prepare
(cd "$top" && mvn -q -B -o -pl test-support -am compile) >&2
cp="$top/test-support/target/classes:$top/nbd-protocol/target/classes"

port=$((20000 + RANDOM % 20000))
"$top/bin/sparse-random" -p "$port" "$@" seed=1 2>"$tmp/server.log" & pid=$!
for _ in $(seq 200); do nbdinfo --size "nbd://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.05; done
uri="nbd://127.0.0.1:$port/"

end=$((SECONDS + secs))
copiers=()
for c in $(seq "$copies"); do
    (
        n=0 bad=0
        while [ $SECONDS -lt $end ]; do
            if nbdcopy "$uri" "$uri" 2>>"$tmp/copy.err"; then n=$((n + 1)); else bad=$((bad + 1)); fi
        done
        echo "$n $bad" >"$tmp/copies.$c"
    ) &
    copiers+=($!)
done
java -cp "$cp" io.sparserandom.testsupport.HostileClients 127.0.0.1 "$port" "$secs" "$workers" "$idle" &
hostile=$!
peak=0 last=0
while kill -0 "$hostile" 2>/dev/null; do
    last=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$last" -gt "$peak" ] && peak=$last
    sleep 1
done
wait "$hostile" || true
for c in "${copiers[@]}"; do wait "$c" || true; done
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
after=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
ok=0 failed=0
for f in "$tmp"/copies.*; do read -r n b <"$f"; ok=$((ok + n)); failed=$((failed + b)); done
if nbdcopy "$uri" "$uri" && nbdinfo --size "$uri" >/dev/null; then alive=yes; else alive=NO; fi
printf 'server RSS: peak sampled %.1f MiB, VmHWM %.1f MiB, after %.1f MiB\n' \
    "$(echo "$peak/1024" | bc -l)" "$(echo "$hwm/1024" | bc -l)" "$(echo "$after/1024" | bc -l)"
echo "verified self-copies: $ok passed, $failed failed; server answers afterwards: $alive"
echo "failed copies' messages: $(sort "$tmp/copy.err" | uniq -c | sort -rn | head -3)"
echo "server warnings, by kind:"
grep -o 'WARN .*' "$tmp/server.log" | sed -E 's/connection [0-9]+: //; s/0x[0-9a-f]+/0x../g; s/[0-9]+/N/g' |
    cut -c1-90 | sort | uniq -c | sort -rn | head -8
