#!/usr/bin/env bash
# Every performance row of the project, ours against nbdkit in the same run (see README,
# "Benchmarks"). Takes about 25 minutes with the defaults on 2 cores; -n sets the runs per row
# (alternating, medians compared), -q runs each row once on smaller sizes as a smoke check.
#
#   bench/all.sh [-n RUNS] [-q]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
runs=3 quick=
while getopts "n:q" opt; do
    case $opt in
        n) runs=$OPTARG ;;
        q) quick=1 runs=1 ;;
        *) echo "usage: $0 [-n RUNS] [-q]" >&2; exit 2 ;;
    esac
done
big=1T mid=64G small=32G secs=30
[ -z "$quick" ] || { big=16G mid=8G small=4G secs=5; }

row() { echo; echo "== $1"; shift; "$@"; }
row "nbdcopy self-copy, $big, defaults (goal: ratio <= 1.0)" \
    "$here/selfcopy.sh" -n "$runs" "$big"
row "nbdcopy self-copy, $small, percent=100 (goal: ratio <= 1.0)" \
    "$here/selfcopy.sh" -n "$runs" "$small" percent=100
row "qemu-img convert -n self-copy, $mid (goal: ratio <= 1.0)" \
    "$here/selfcopy.sh" -n "$runs" -c 'qemu-img convert -n -f raw -O raw "$uri" "$uri"' "$mid"
row "nbdcopy self-copy, $mid, random-content=true (goal: ratio <= 0.5)" \
    "$here/selfcopy.sh" -n "$runs" "$mid" random-content=true
row "nbdcopy self-copy, $mid, random-content=true compat=nbdkit (goal: ratio <= 1.0)" \
    "$here/selfcopy.sh" -n "$runs" -o compat=nbdkit "$mid" random-content=true
row "start-up to first byte (goal: <= 1 s at every size)" \
    "$here/startup.sh" -n "$runs" 1T 1P 4E
row "launch cost, 4G: --run true, --help, self-copy (goals: --run true <= 0.25 s, self-copy ratio <= 1.5)" \
    "$here/launch.sh" -n "$runs" 4G
row "server peak memory during a copy (goal: 4E within 10 % of 1T)" \
    "$here/rss.sh" -t "$secs" 1T 4E
row "fio nbd engine, 4K random reads, iodepth 32 (goal: IOPS ratio >= 1.0)" \
    "$here/fio.sh" -n "$runs" -t "$secs" 1T
