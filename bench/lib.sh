# Shared by the bench scripts (sourced; needs $top): the set-up every script does, starting
# either server in the background on a unix socket, waiting for it, stopping it, and the median
# of a column of numbers.

# Builds the jar (and its class archive) once, outside any timing, and keeps a build from
# starting inside a timed run; makes the scratch folder $tmp, removed on exit together with a
# server still running.
prepare() {
    "$top/bin/sparse-random" --version >/dev/null
    export SPARSE_RANDOM_NO_BUILD=1
    tmp=$(mktemp -d)
    trap 'unserve; rm -rf "$tmp"' EXIT
}

# wait_socket SOCKET [TRIES]: waits (0.05 s a try, 200 tries by default) until the server listens.
wait_socket() {
    for _ in $(seq "${2:-200}"); do [ -S "$1" ] && break; sleep 0.05; done
}

# serve WHO SOCKET SIZE [PARAM=VALUE ...]: starts ours or nbdkit in the background; sets $pid.
serve() {
    local who=$1 sock=$2
    shift 2
    rm -f "$sock"
    if [ "$who" = ours ]; then
        "$top/bin/sparse-random" -U "$sock" "$@" 2>/dev/null & pid=$!
    else
        nbdkit -f -U "$sock" sparse-random "$@" 2>/dev/null & pid=$!
    fi
}

# Stops the server serve started, if it still runs.
unserve() {
    [ -n "${pid:-}" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

# The median of the numbers on stdin (lines that are not numbers are ignored), or "failed".
median() {
    grep -E '^[0-9.]+$' | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "failed"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
