#!/usr/bin/env bash
# The gate's scenarios against nbdkit's sparse-random plugin with the matching filters, to tell a
# bug in a copy tool from a bug in our server: same tool, same fault, a different server.
# nbdkit checks every write (a wrong one fails with EIO) but cannot prove completeness, so only
# the tool's exit status is compared. Scenarios without an nbdkit counterpart print "n/a".
# Usage: bench/gate-nbdkit.sh 'nbdcopy "$uri" "$uri"' [SCENARIO...]
set -uo pipefail
cmd="$1"; shift
disk=(sparse-random 8G seed=1)
all=(baseline latency rate-limit no-extents no-multi-conn no-zero no-trim max-block-64k
     min-block-4k tcp read-eio read-eio-once write-eio zero-eio flush-eio write-enospc
     disconnect corrupt-reads)
[ $# -gt 0 ] || set -- "${all[@]}"
for s in "$@"; do
    args=()
    case "$s" in
        baseline|no-trim) ;;   # sparse-random never advertises trim
        latency) args=(--filter=delay delay-read=1ms delay-write=1ms delay-zero=1ms delay-trim=1ms
                       delay-extents=1ms delay-cache=1ms) ;;
        rate-limit) args=(--filter=rate rate=1600M) ;;   # bits per second: 200 MB/s
        no-extents) args=(--filter=noextents) ;;
        no-multi-conn) args=(--filter=multi-conn multi-conn-mode=disable) ;;
        no-zero) args=(--filter=nozero) ;;
        max-block-64k) args=(--filter=blocksize-policy blocksize-minimum=1 blocksize-preferred=4096
                             blocksize-maximum=65536 blocksize-error-policy=error) ;;
        min-block-4k) args=(--filter=blocksize-policy blocksize-minimum=4096 blocksize-preferred=4096
                            blocksize-maximum=33554432 blocksize-error-policy=error) ;;
        tcp) args=(-p 10931) ;;
        read-eio) args=(--filter=error error-pread-rate=1%) ;;
        write-eio) args=(--filter=error error-pwrite-rate=1%) ;;
        zero-eio) args=(--filter=error error-zero-rate=10%) ;;
        write-enospc) args=(--filter=error error-pwrite=ENOSPC error-pwrite-rate=1%) ;;
        *) printf '%-14s n/a (nbdkit 1.32 has no filter for this)\n' "$s"; continue ;;
    esac
    # Options and filters go before the plugin, the filters' key=value parameters after it.
    pre=(-U -) post=()
    for a in "${args[@]}"; do
        case "$a" in
            -p) pre=(-i 127.0.0.1 -p) ;;
            -*|[0-9]*) pre+=("$a") ;;
            *) post+=("$a") ;;
        esac
    done
    start=$(date +%s.%N)
    nbdkit "${pre[@]}" "${disk[@]}" "${post[@]}" --run "$cmd" >/tmp/gate-nbdkit.$$.log 2>&1
    status=$?
    end=$(date +%s.%N)
    printf '%-14s tool exit %3d  %6.1f s  %s\n' "$s" "$status" "$(echo "$end - $start" | bc)" \
        "$(grep -v '^$' /tmp/gate-nbdkit.$$.log | tail -1 | cut -c1-120)"
done
rm -f /tmp/gate-nbdkit.$$.log
