#!/usr/bin/env bash
# Self-copy benchmark: the same copy command through our server and through nbdkit's
# sparse-random plugin, alternating (ours, nbdkit, ours, nbdkit, ...) so that drift on a noisy
# machine hits both alike; prints every run, both medians and the ratio ours/nbdkit.
#
#   bench/selfcopy.sh [-n RUNS] [-c COMMAND] SIZE [PARAM=VALUE ...]
#   bench/selfcopy.sh -n 3 64G
#   bench/selfcopy.sh -n 3 -c 'qemu-img convert -n "$uri" "$uri"' 64G
#   bench/selfcopy.sh -n 3 32G percent=100
#
# PARAMs are the disk parameters both servers take (seed, percent, runlength, random-content);
# seed defaults to 1 so both serve a disk of the same shape. This is a benchmark, not a test.
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
runs=5
cmd='nbdcopy "$uri" "$uri"'
ours_extra=()
while getopts "n:c:o:" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        c) cmd=$OPTARG ;;
        o) ours_extra+=("$OPTARG") ;;   # extra parameter for our server only, e.g. -o compat=nbdkit
        *) echo "usage: $0 [-n RUNS] [-c COMMAND] [-o OUR-PARAM] SIZE [PARAM=VALUE ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n RUNS] [-c COMMAND] SIZE [PARAM=VALUE ...]" >&2; exit 2; }
size=$1; shift
params=("$@")
printf '%s\n' "${params[@]}" | grep -q '^seed=' || params+=(seed=1)

command -v nbdkit >/dev/null || { echo "nbdkit is not installed" >&2; exit 1; }
prepare

# Seconds (wall) for one run; fails loudly if the copy fails.
time_one() {
    local start end
    start=$(date +%s.%N)
    if ! "$@" >/dev/null 2>"$tmp/err"; then
        echo "FAILED: $*" >&2; cat "$tmp/err" >&2; exit 1
    fi
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}' 
}


: >"$tmp/ours"; : >"$tmp/nbdkit"
echo "self-copy: $cmd   disk: $size ${params[*]}   runs: $runs (alternating)"
for i in $(seq 1 "$runs"); do
    t=$(time_one "$top/bin/sparse-random" "$size" "${params[@]}" "${ours_extra[@]}" --run "$cmd")
    echo "$t" >>"$tmp/ours"; printf 'run %d  ours   %8.3f s\n' "$i" "$t"
    t=$(time_one nbdkit -U - sparse-random "$size" "${params[@]}" --run "$cmd")
    echo "$t" >>"$tmp/nbdkit"; printf 'run %d  nbdkit %8.3f s\n' "$i" "$t"
done
mo=$(median <"$tmp/ours"); mn=$(median <"$tmp/nbdkit")
awk -v o="$mo" -v n="$mn" 'BEGIN {printf "median ours %.3f s, nbdkit %.3f s, ratio ours/nbdkit %.3f\n", o, n, o / n}' 
