#!/usr/bin/env bash
# Start-up benchmark: time from launching the server to the first byte read by a client, for
# our server (bin/sparse-random, JVM start included) and nbdkit's sparse-random plugin, at each
# size given (default 1T 1P 4E), alternating; prints every run and the medians. A server that
# fails to start at a size (nbdkit cannot serve 1P) is reported as failed.
#
#   bench/startup.sh [-n RUNS] [SIZE ...]
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
runs=5
while getopts "n:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [SIZE ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1T 1P 4E)
py=/usr/bin/python3
"$py" -c 'import nbd' 2>/dev/null || { echo "needs Debian's python3-libnbd ($py)" >&2; exit 1; }
command -v nbdkit >/dev/null || { echo "nbdkit is not installed" >&2; exit 1; }
prepare

# Polls socket $2 until one byte is read; prints milliseconds since $1 (ns), or FAIL when server
# $3 dies or after 30 s.
first_byte() {
    "$py" - "$1" "$2" "$3" <<'PY'
import nbd, os, sys, time
start, sock, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
deadline = time.time() + 30
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break  # the server died
    if os.path.exists("/proc/%d/stat" % pid) and open("/proc/%d/stat" % pid).read().split()[2] == "Z":
        break
    try:
        h = nbd.NBD()
        h.connect_unix(sock)
        h.pread(1, 0)
        print("%.0f" % ((time.time_ns() - start) / 1e6))
        sys.exit(0)
    except nbd.Error:
        time.sleep(0.005)
print("FAIL")
PY
}


echo "start-up to first byte read (ms), runs: $runs (alternating)"
for size in "${sizes[@]}"; do
    : >"$tmp/ours"; : >"$tmp/nbdkit"
    for i in $(seq 1 "$runs"); do
        for who in ours nbdkit; do
            start=$(date +%s%N)
            serve $who "$tmp/sock" "$size" seed=1
            ms=$(first_byte "$start" "$tmp/sock" "$pid")
            unserve
            echo "$ms" >>"$tmp/$who"
            printf '%-4s run %d  %-6s %s\n' "$size" "$i" "$who" "$ms"
        done
    done
    printf "%-4s median ours %s, nbdkit %s (ms)\n" "$size" "$(median <"$tmp/ours")" "$(median <"$tmp/nbdkit")"
done
