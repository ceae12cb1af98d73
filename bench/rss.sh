#!/usr/bin/env bash
# Memory benchmark: the server's resident memory while nbdcopy self-copies, for each size given
# (default 1T 4E). A copy of 4E never ends, so every copy runs for SECONDS (default 30) and is
# then stopped; the server's peak resident set (VmHWM) is what counts. nbdkit is measured at the
# sizes it can serve. Prints the peaks and the ratio of each size's peak to the first size's.
#
#   bench/rss.sh [-t SECONDS] [SIZE ...]
set -euo pipefail
top="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$top/bench/lib.sh"
secs=30
while getopts "t:" opt; do
    case $opt in
        t) secs=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [SIZE ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1T 4E)
prepare

# Peak RSS (KiB) of server $1 after copying through socket $2 for $secs seconds.
peak() {
    local sock=$2 uri
    uri="nbd+unix:///?socket=$sock"
    wait_socket "$sock"
    nbdcopy "$uri" "$uri" >/dev/null 2>&1 &
    local copy=$!
    sleep "$secs"
    # Read before stopping the copy: nbdkit 1.32 aborts when a client vanishes mid-request.
    awk '/VmHWM/ {print $2}' "/proc/$1/status"
    kill "$copy" 2>/dev/null || true
    wait "$copy" 2>/dev/null || true
}

echo "server peak resident memory during ${secs} s of nbdcopy self-copy"
first=
for size in "${sizes[@]}"; do
    for who in ours nbdkit; do
        serve $who "$tmp/sock" "$size" seed=1
        sleep 0.2
        if ! kill -0 "$pid" 2>/dev/null || ! kb=$(peak "$pid" "$tmp/sock") || [ -z "$kb" ]; then
            printf '%-4s %-6s failed to serve this size\n' "$size" "$who"
        else
            printf '%-4s %-6s peak RSS %7.1f MiB' "$size" "$who" "$(echo "$kb / 1024" | bc -l)"
            if [ $who = ours ]; then
                [ -n "$first" ] || first=$kb
                printf '   (%.3f x ours at %s)' "$(echo "$kb / $first" | bc -l)" "${sizes[0]}"
            fi
            echo
        fi
        unserve
    done
done
