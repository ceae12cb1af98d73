#!/usr/bin/python3
"""Deliberately broken copiers for the gate's tests, on python3 libnbd.

Usage: gate_copiers.py MODE   (reads the NBD URI from $uri; the server is source and target)
Modes (each names the gate scenario that must catch it):
  skip-failed        a read that fails is skipped, the copy goes on and exits 0 (read-eio)
  no-flush           copies every data run and never flushes (baseline, --require-durable)
  flush              the same, then one flush: the control for no-flush
  flush-one-of-four  copies over 4 connections, flushes only the first (no-multi-conn)
  big-requests       32 MiB requests whatever the server's block-size limits (max-block-64k)
Uses copier.py's helpers (copied next to this script by the test).
"""
import sys

import nbd

from copier import chunks, connect, data_runs

SMALL = 256 << 10
BIG = 32 << 20


def pieces(runs, size):
    for off, length in runs:
        pos = off
        while pos < off + length:
            n = min(size, off + length - pos)
            yield pos, n
            pos += n


def main():
    mode = sys.argv[1]
    h = connect()
    runs = data_runs(h)
    if mode == "skip-failed":
        skipped = 0
        for off, n in pieces(runs, SMALL):
            try:
                buf = h.pread(n, off)
            except nbd.Error:
                skipped += 1
                continue
            h.pwrite(buf, off)
        print("skipped %d chunk(s)" % skipped, file=sys.stderr)
    elif mode in ("no-flush", "flush"):
        for off, n in chunks(runs):
            h.pwrite(h.pread(n, off), off)
        if mode == "flush":
            h.flush()
    elif mode == "flush-one-of-four":
        handles = [h] + [connect() for _ in range(3)]
        for i, (off, n) in enumerate(chunks(runs)):
            c = handles[i % 4]
            c.pwrite(c.pread(n, off), off)
        # Every write on every connection has been replied to; only the first one flushes.
        h.flush()
        for extra in handles[1:]:
            extra.shutdown()
    elif mode == "big-requests":
        h.set_strict_mode(0)
        for off, n in pieces(runs, BIG):
            h.pwrite(h.pread(n, off), off)
    else:
        sys.exit("unknown mode " + mode)
    h.shutdown()


if __name__ == "__main__":
    main()
