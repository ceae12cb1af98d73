#!/usr/bin/python3
"""Probes for the fault-option ITs, run with the server's $uri.

  failed-offsets CONNS INFLIGHT [retry]   read every 64 KiB block of the disk over CONNS
        connections with up to INFLIGHT reads in flight each, in a shuffled order; print
        FAILED=<sorted offsets> (and, with retry, RETRY_FAILED=<offsets whose retry failed too>)
  latency N            one 4 KiB read, then N at once on one connection; print both times in ms
  unaligned            with strict mode off: a 512-byte read at 0, a 4 KiB read at 512, a 2 MiB read;
                       print each outcome (ok, or the errno name)
"""
import errno
import os
import random
import sys
import time

import nbd

BLOCK = 64 * 1024


def connect():
    h = nbd.NBD()
    h.set_strict_mode(0)
    h.connect_uri(os.environ["uri"])
    return h


def failed_offsets(conns, inflight, retry):
    handles = [connect() for _ in range(conns)]
    size = handles[0].get_size()
    offsets = list(range(0, size - size % BLOCK, BLOCK))
    random.Random(conns * 1000 + inflight).shuffle(offsets)
    failed = []
    todo = [offsets[i::conns] for i in range(conns)]
    bufs = {}

    def done(off, err):
        if err.value != 0:
            failed.append(off)
            err.value = 0
        del bufs[off]
        return 1

    while any(todo) or any(h.aio_in_flight() for h in handles):
        for i, h in enumerate(handles):
            while todo[i] and h.aio_in_flight() < inflight:
                off = todo[i].pop()
                bufs[off] = nbd.Buffer(BLOCK)
                h.aio_pread(bufs[off], off, completion=lambda err, off=off: done(off, err))
        for h in handles:
            if h.aio_in_flight() > 0:
                h.poll(0 if len(handles) > 1 else -1)
    print("FAILED=" + ",".join(str(o) for o in sorted(failed)))
    if retry:
        again = []
        for off in sorted(failed):
            try:
                handles[0].pread(BLOCK, off)
            except nbd.Error:
                again.append(off)
        print("RETRY_FAILED=" + ",".join(str(o) for o in again))


def latency(n):
    h = connect()
    t = time.monotonic()
    h.pread(4096, 0)
    one = (time.monotonic() - t) * 1000
    bufs = [nbd.Buffer(4096) for _ in range(n)]
    t = time.monotonic()
    for i, b in enumerate(bufs):
        h.aio_pread(b, i * 4096)
    while h.aio_in_flight() > 0:
        h.poll(-1)
    many = (time.monotonic() - t) * 1000
    print("ONE_MS=%.1f" % one)
    print("MANY_MS=%.1f" % many)


def unaligned():
    h = connect()
    for name, off, length in [("small", 0, 512), ("misaligned", 512, 4096), ("large", 0, 2 << 20)]:
        try:
            h.pread(length, off)
            print(name.upper() + "=ok")
        except nbd.Error as e:
            print(name.upper() + "=" + (errno.errorcode.get(e.errnum, str(e.errnum)) if e.errnum else "error"))


mode = sys.argv[1]
if mode == "failed-offsets":
    failed_offsets(int(sys.argv[2]), int(sys.argv[3]), len(sys.argv) > 4 and sys.argv[4] == "retry")
elif mode == "latency":
    latency(int(sys.argv[2]))
elif mode == "unaligned":
    unaligned()
else:
    sys.exit("unknown mode " + mode)
