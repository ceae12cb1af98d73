# Shared by the bench scripts (sourced; needs $top): starting either server in the background
# on a unix socket, stopping it, and the median of a column of numbers.

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
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

# The median of the numbers on stdin (lines that are not numbers are ignored), or "failed".
median() {
    grep -E '^[0-9.]+$' | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "failed"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
