#!/usr/bin/env bash
# Replica against the real image: does a disk served from a learned shape make a copy tool do the
# same work, in the same time, as the image it was learned from? `nbdcopy "$uri" null:` reads the
# image through `nbdkit file` with the stats filter, and the replica (the shape at the learned size)
# through our server. Two checks:
#   requests  per operation and request-size bucket, counted by nbdkit's stats filter (for the
#             replica, a stats filter in front of our server: `nbdkit nbd`); they must match
#   time      both servers started once and kept running; WARM untimed reads each, then RUNS
#             rounds, alternating image and each replica; medians and the ratio replica / image
# The replica is timed with each content: default (one byte repeated per block) and
# random-content=true.
#
#   bench/replica.sh [-n RUNS] [-w WARM] [IMAGE]
# Without IMAGE it makes a 16 GiB ext4 with `mke2fs -t ext4 -d /usr/share` (e2fsprogs) in a
# scratch folder. Defaults: 10 runs, 3 warm-up reads.
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
runs=10 warm=3
while getopts "n:w:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warm=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [-w WARM] [IMAGE]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
for t in nbdkit nbdcopy; do command -v $t >/dev/null || { echo "$t is not installed" >&2; exit 1; }; done
prepare
ours="$top/bin/sparse-random"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

img=${1:-}
if [ -z "$img" ]; then
    command -v mke2fs >/dev/null || { echo "mke2fs is not installed (e2fsprogs)" >&2; exit 1; }
    img=$tmp/ext4.img
    truncate -s 16G "$img"
    mke2fs -q -F -t ext4 -d /usr/share "$img"
fi
"$ours" learn "$img" -o "$tmp/img.shape" >/dev/null
echo "image: $img ($(stat -c %s "$img") bytes, $(du -k "$img" | cut -f1) KiB allocated)"

# Requests, by nbdkit's stats filter.
nbdkit -U - -r --filter=stats file "$img" statsfile="$tmp/image.stats" --run 'nbdcopy "$uri" null:'
"$ours" shape="$tmp/img.shape" seed=1 -U "$tmp/q.sock" 2>/dev/null & pids+=($!)
wait_socket "$tmp/q.sock"
nbdkit -U - -r --filter=stats nbd socket="$tmp/q.sock" statsfile="$tmp/replica.stats" \
    --run 'nbdcopy "$uri" null:'
kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=()
python3 - "$tmp/image.stats" "$tmp/replica.stats" <<'PY'
import re, sys
def buckets(path):
    counts, op = {}, None
    for line in open(path):
        m = re.match(r"^(\w+): (\d+) ops", line)
        if m:
            op = m.group(1)
            continue
        m = re.match(r"^\s+(\d+) bits: .*\((\d+) reqs", line)
        if m and op not in (None, "total"):
            counts[(op, int(m.group(1)))] = int(m.group(2))
    return counts
a, b = buckets(sys.argv[1]), buckets(sys.argv[2])
worst = 0.0
print("requests   operation, size      image   replica   difference")
for key in sorted(set(a) | set(b)):
    x, y = a.get(key, 0), b.get(key, 0)
    d = abs(y - x) / max(x, y) * 100 if max(x, y) else 0.0
    worst = max(worst, d)
    print("           %-10s 2^%-3d  %8d  %8d  %6.1f %%" % (key[0], key[1], x, y, d))
print("requests   largest difference per bucket: %.1f %%" % worst)
PY

# Time: every server started once, then alternating reads.
rm -f "$tmp"/*.sock
nbdkit -f -r -U "$tmp/image.sock" --filter=stats file "$img" statsfile=/dev/null 2>/dev/null & pids+=($!)
"$ours" shape="$tmp/img.shape" seed=1 -U "$tmp/default.sock" 2>/dev/null & pids+=($!)
"$ours" shape="$tmp/img.shape" seed=1 random-content=true -U "$tmp/random.sock" 2>/dev/null & pids+=($!)
names=(image default random)
for n in "${names[@]}"; do wait_socket "$tmp/$n.sock"; done
read_once() {
    local s e
    s=$(date +%s%N)
    nbdcopy "nbd+unix:///?socket=$tmp/$1.sock" null:
    e=$(date +%s%N)
    echo "scale=4; ($e - $s) / 1000000000" | bc >>"$tmp/$1.times"
}
for _ in $(seq "$warm"); do for n in "${names[@]}"; do nbdcopy "nbd+unix:///?socket=$tmp/$n.sock" null:; done; done
for _ in $(seq "$runs"); do for n in "${names[@]}"; do read_once "$n"; done; done
mi=$(median <"$tmp/image.times")
for n in "${names[@]}"; do
    m=$(median <"$tmp/$n.times")
    printf 'time       %-8s median %.3f s  ratio to image %.2f  (%s runs: %s)\n' "$n" "$m" \
        "$(echo "scale=4; $m / $mi" | bc)" "$runs" "$(sort -n "$tmp/$n.times" | tr '\n' ' ')"
done
