#!/usr/bin/env bash
# Launch benchmark: the fixed cost of a run, ours (bin/sparse-random, JVM start and exit included)
# against nbdkit, alternating so that drift on a noisy machine hits both alike. Four rows:
#   run true   sparse-random SIZE --run true        vs  nbdkit -U - sparse-random SIZE --run true
#   help       sparse-random --help                 vs  nbdkit --help
#   self-copy  sparse-random SIZE compat=nbdkit     vs  nbdkit -U - sparse-random SIZE --run 'nbdcopy'
#                --run 'nbdcopy'
#   service    nbdcopy against a warm 'serve', then   vs  nbdkit -U - sparse-random SIZE --run 'nbdcopy'
#              its verdict over HTTP (curl)
# Both serve on a private unix socket: nbdkit's --run alone listens on TCP, which made its 4G copy
# 31 % slower (docs/performance.md, "Start-up, eighth pass"). The self-copy serves nbdkit's own
# disk (compat=nbdkit): at 4G seed=1 our default layout holds 407 MiB of data and nbdkit's chain
# 288 MiB, so the copies would not do the same work. The service row is what a CI farm pays per
# job with one long-running server: no JVM start, and code compiled by earlier jobs. Each run
# copies a new export (its own job name) and checks that its verdict passed, complete. The service
# serves our default layout only (more data than nbdkit's at 4G, a handicap to us). Our CPU there
# is nbdcopy's and curl's only: the service is not a child of the timed command.
# Each prints the median wall time of both, the ratio ours/nbdkit and our median CPU time (user +
# system; steadier than wall time on a busy machine). Uses hyperfine when it is installed (its own
# warm-up and statistics, medians taken from its JSON), else a loop of RUNS alternating runs.
#
#   bench/launch.sh [-n RUNS] [SIZE]     (defaults: 10 runs, 4G; seed=1 for both servers)
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
runs=10
while getopts "n:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [SIZE]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
size=${1:-4G}
command -v nbdkit >/dev/null || { echo "nbdkit is not installed" >&2; exit 1; }
command -v nbdcopy >/dev/null || { echo "nbdcopy is not installed" >&2; exit 1; }
prepare

ours="$top/bin/sparse-random"
copy="'nbdcopy \"\$uri\" \"\$uri\"'"

# row NAME OURS-COMMAND NBDKIT-COMMAND (shell command lines)
row() {
    local name=$1 a=$2 b=$3
    if command -v hyperfine >/dev/null; then
        hyperfine -w 1 -r "$runs" --export-json "$tmp/h.json" "$a" "$b" >/dev/null
        python3 - "$name" "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["results"]
o, n = r[0], r[1]
cpu = "cpu %.3f s" % (o["user"] + o["system"]) if sys.argv[1] != "service" else "cpu n/a"
print("%-10s ours %.3f s (%s)  nbdkit %.3f s  ratio %.2f  [hyperfine, %d runs]" % (
    sys.argv[1], o["median"], cpu, n["median"], o["median"] / n["median"], len(o["times"])))
PY
        return
    fi
    : >"$tmp/a"; : >"$tmp/b"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "$a" >/dev/null 2>&1 || { echo "$name: failed: $a" >&2; exit 1; }
        tail -1 "$tmp/t" >>"$tmp/a"
        /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "$b" >/dev/null 2>&1 || { echo "$name: failed: $b" >&2; exit 1; }
        tail -1 "$tmp/t" >>"$tmp/b"
    done
    local wa wb ca
    wa=$(awk '{print $1}' "$tmp/a" | median)
    wb=$(awk '{print $1}' "$tmp/b" | median)
    ca="$(awk '{print $2 + $3}' "$tmp/a" | median) s"
    [ "$name" != service ] || ca="n/a"
    printf '%-10s ours %s s (cpu %s)  nbdkit %s s  ratio %s  [%d alternating runs]\n' \
        "$name" "$wa" "$ca" "$wb" \
        "$(awk -v a="$wa" -v b="$wb" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')" "$runs"
}

echo "launch cost, $size, seed=1 (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
row "run true" "$ours $size seed=1 --run true" "nbdkit -U - sparse-random $size seed=1 --run true"
row "help" "$ours --help" "nbdkit --help"
row "self-copy" "$ours $size seed=1 compat=nbdkit --run $copy" "nbdkit -U - sparse-random $size seed=1 --run $copy"

# The service row needs curl for the verdict; the service's HTTP port is one the kernel picks.
command -v curl >/dev/null || { echo "service    skipped: curl is not installed" >&2; exit 0; }
svc="$tmp/service.sock"
"$ours" serve -U "$svc" --http-port 0 >"$tmp/service.log" 2>&1 & pid=$!
for _ in $(seq 200); do grep -q 'HTTP API at' "$tmp/service.log" && [ -S "$svc" ] && break; sleep 0.05; done
api=$(sed -n 's|.*HTTP API at \(http://[^ ]*\)/exports.*|\1|p' "$tmp/service.log")
[ -n "$api" ] || { echo "service: the service did not start: $(cat "$tmp/service.log")" >&2; exit 1; }
# One job: a new export name, the copy, then its verdict, which must have passed, complete.
cat >"$tmp/job.sh" <<JOB
j=\$RANDOM\$RANDOM
u="nbd+unix:///\$j/$size,seed=1?socket=$svc"
nbdcopy "\$u" "\$u" &&
    curl -sf "$api/exports/\$j%2F$size,seed=1/verdict?check-complete=true" | grep -q '"passed": true'
JOB
job="bash $tmp/job.sh"
# Warmed by ten jobs first (the service's JIT, as earlier jobs of a farm would), not timed: the
# copies took their steady time from about the sixth on.
for _ in $(seq 10); do $job || { echo "service: a warm-up job failed" >&2; exit 1; }; done
row "service" "$job" "nbdkit -U - sparse-random $size seed=1 --run $copy"
