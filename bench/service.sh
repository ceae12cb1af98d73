#!/usr/bin/env bash
# Service mode: start-up of 'sparse-random serve' to the first byte read from an export made on
# demand, then memory with N exports of SIZE known (default 1000 of 1T): each is opened once
# (GO, one byte read) and GET /exports computes its summary. Heap after a full GC and resident
# memory are read before and after; the difference over N is the cost of one export.
#
#   bench/service.sh [-n EXPORTS] [-s SIZE]
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
n=1000
size=1T
while getopts "n:s:" opt; do
    case $opt in
        n) n=$OPTARG ;;
        s) size=$OPTARG ;;
        *) echo "usage: $0 [-n EXPORTS] [-s SIZE]" >&2; exit 2 ;;
    esac
done
py=/usr/bin/python3
"$py" -c 'import nbd' 2>/dev/null || { echo "needs Debian's python3-libnbd ($py)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $launcher 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$top/bin/sparse-random" --version >/dev/null # build first, outside the timing

start=$(date +%s%N)
"$top/bin/sparse-random" serve -U "$tmp/sock" --http-port 0 --max-exports "$n" 2>"$tmp/err" &
launcher=$!
"$py" - "$start" "$tmp/sock" <<'PY'
import nbd, sys, time
start, sock = int(sys.argv[1]), sys.argv[2]
deadline = time.time() + 60
while time.time() < deadline:
    try:
        h = nbd.NBD()
        h.set_export_name("1T,seed=1")
        h.connect_unix(sock)
        h.pread(1, 0)
        h.shutdown()
        print("start-up to first byte read: %.0f ms" % ((time.time_ns() - start) / 1e6))
        sys.exit(0)
    except nbd.Error:
        time.sleep(0.005)
sys.exit("the service did not answer within 60 s")
PY
for _ in $(seq 100); do grep -q 'HTTP API' "$tmp/err" && break; sleep 0.1; done
http=$(grep -o 'http://[^ ]*/exports' "$tmp/err")
# The launcher relaunches the JVM with the Vector API; the service is the child.
jvm=$(pgrep -P "$launcher" java || echo "$launcher")

measure() {
    jcmd "$jvm" GC.run >/dev/null
    sleep 1
    local heap rss
    # Young plus old generation in use (the serial collector's lines, or the parallel one's).
    heap=$(jcmd "$jvm" GC.heap_info | awk '/([Gg]en|generation) +total/ {for (i=1;i<=NF;i++) if ($i=="used") {u=$(i+1); sub(/K.*/,"",u); s+=u}} END {print s}')
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$jvm/status")
    echo "$heap $rss"
}
read -r heap0 rss0 < <(measure)
"$py" - "$tmp/sock" "$n" "$size" <<'PY'
import nbd, sys
sock, n, size = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n - 1):
    h = nbd.NBD()
    h.set_export_name("m/%s,seed=%d" % (size, i))
    h.connect_unix(sock)
    h.pread(1, 0)
    h.shutdown()
PY
curl -s "$http" | grep -c '"name"' | xargs echo "exports known:"
read -r heap1 rss1 < <(measure)
echo "heap used after GC: ${heap0} KiB -> ${heap1} KiB; resident: ${rss0} KiB -> ${rss1} KiB"
awk -v h0="$heap0" -v h1="$heap1" -v r0="$rss0" -v r1="$rss1" -v n="$n" 'BEGIN {
    printf "per export (%d known): heap %.1f KiB, resident %.1f KiB\n", n - 1, (h1 - h0) / (n - 1), (r1 - r0) / (n - 1) }'
