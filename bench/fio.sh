#!/usr/bin/env bash
# Random-read benchmark: fio's nbd engine, 4 KiB random reads at queue depth 32 for SECONDS
# (default 30), against our server and nbdkit's sparse-random plugin, alternating, RUNS times
# (default 3); prints IOPS per run, the medians and the ratio ours/nbdkit (higher is better).
#
#   bench/fio.sh [-n RUNS] [-t SECONDS] [SIZE [PARAM=VALUE ...]]     (default size 1T)
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
runs=3 secs=30
while getopts "n:t:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        t) secs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [-t SECONDS] [SIZE [PARAM=VALUE ...]]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
size=${1:-1T}; shift || true
params=("$@")
printf '%s\n' "${params[@]}" | grep -q '^seed=' || params+=(seed=1)
command -v fio >/dev/null || { echo "fio is not installed (apt-get install fio)" >&2; exit 1; }
fio --enghelp=nbd >/dev/null 2>&1 || { echo "this fio has no nbd engine" >&2; exit 1; }
command -v nbdkit >/dev/null || { echo "nbdkit is not installed" >&2; exit 1; }
prepare

iops() {
    local uri="nbd+unix:///?socket=$1"
    wait_socket "$1" 600
    fio --name=randread --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=32 \
        --runtime="$secs" --time_based --output-format=json --output="$tmp/fio.json" >/dev/null 2>&1
    /usr/bin/python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops"])' "$tmp/fio.json"
}


: >"$tmp/ours"; : >"$tmp/nbdkit"
echo "fio nbd engine: 4K random reads, iodepth 32, ${secs} s   disk: $size ${params[*]}   runs: $runs (alternating)"
for i in $(seq 1 "$runs"); do
    for who in ours nbdkit; do
        serve $who "$tmp/sock" "$size" "${params[@]}"
        n=$(iops "$tmp/sock")
        unserve
        echo "$n" >>"$tmp/$who"
        printf 'run %d  %-6s %8s IOPS\n' "$i" "$who" "$n"
    done
done
mo=$(median <"$tmp/ours"); mn=$(median <"$tmp/nbdkit")
awk -v o="$mo" -v n="$mn" 'BEGIN {printf "median ours %.0f IOPS, nbdkit %.0f IOPS, ratio ours/nbdkit %.3f\n", o, n, o / n}'
