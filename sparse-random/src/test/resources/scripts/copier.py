#!/usr/bin/python3
"""A copier for the tests, right or deliberately wrong, on python3 libnbd.

Usage: copier.py MODE   (reads the NBD URI from $uri; the server is source and target)
Modes: full, skip-last, first-half, flip-byte, zero-run, random-4conn.
Prints BAD_OFFSET=<n> for the offset it gets wrong, and always exits 0 (like a buggy
tool that ignores errors), except on unexpected failures.
"""
import os
import random
import sys

import nbd

CHUNK = 1 << 20


def data_runs(h):
    """(offset, length) of every data run, from base:allocation."""
    size = h.get_size()
    runs = []
    pos = 0
    while pos < size:
        seen = []

        def cb(metacontext, offset, entries, err):
            if metacontext == nbd.CONTEXT_BASE_ALLOCATION:
                seen.extend(entries)
            return 0

        h.block_status(min(size - pos, 1 << 30), pos, cb)
        for i in range(0, len(seen), 2):
            length, flags = seen[i], seen[i + 1]
            length = min(length, size - pos)
            if flags & nbd.STATE_HOLE == 0:
                if runs and runs[-1][0] + runs[-1][1] == pos:
                    runs[-1] = (runs[-1][0], runs[-1][1] + length)
                else:
                    runs.append((pos, length))
            pos += length
            if pos >= size:
                break
    return runs


def chunks(runs):
    for off, length in runs:
        pos = off
        while pos < off + length:
            n = min(CHUNK, off + length - pos)
            yield pos, n
            pos += n


def connect():
    h = nbd.NBD()
    h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
    h.connect_uri(os.environ["uri"])
    return h


def copy(h, off, n):
    h.pwrite(h.pread(n, off), off)


def main():
    mode = sys.argv[1]
    h = connect()
    size = h.get_size()
    runs = data_runs(h)
    if not runs:
        sys.exit("no data on the disk")
    if mode == "full":
        for off, n in chunks(runs):
            copy(h, off, n)
    elif mode == "skip-last":
        for off, n in chunks(runs[:-1]):
            copy(h, off, n)
        print("BAD_OFFSET=%d" % runs[-1][0])
    elif mode == "first-half":
        half = size // 2
        first_missing = None
        for off, n in chunks(runs):
            if off + n <= half:
                copy(h, off, n)
            elif first_missing is None:
                first_missing = max(off, half) if off < half else off
                if off < half:
                    copy(h, off, half - off)
        print("BAD_OFFSET=%d" % first_missing)
    elif mode == "flip-byte":
        bad = runs[0][0] + 4096 + 17 if runs[0][1] > 8192 else runs[0][0] + 17
        for off, n in chunks(runs):
            buf = bytearray(h.pread(n, off))
            if off <= bad < off + n:
                buf[bad - off] ^= 0xFF
            try:
                h.pwrite(bytes(buf), off)
            except nbd.Error as e:
                print("ignored error: %s" % e, file=sys.stderr)
        print("BAD_OFFSET=%d" % bad)
    elif mode == "zero-run":
        first = runs[0]
        for off, n in chunks(runs):
            if first[0] <= off < first[0] + first[1]:
                try:
                    h.zero(n, off)
                except nbd.Error as e:
                    print("ignored error: %s" % e, file=sys.stderr)
            else:
                copy(h, off, n)
        print("BAD_OFFSET=%d" % first[0])
    elif mode == "random-4conn":
        handles = [h] + [connect() for _ in range(3)]
        work = list(chunks(runs))
        random.Random(42).shuffle(work)
        for i, (off, n) in enumerate(work):
            copy(handles[i % 4], off, n)
        for extra in handles[1:]:
            extra.shutdown()
    else:
        sys.exit("unknown mode " + mode)
    h.shutdown()


if __name__ == "__main__":
    main()
