#!/usr/bin/python3
"""A copier for the durability tests, on python3 libnbd: copies every data run of the
server onto itself, then flushes (or not) as the mode says. Exits 0 whatever it did.

Usage: durability_copier.py MODE [URI]   (URI defaults to $uri)
Modes:
  no-flush       one connection, never flushes
  flush          one connection, flushes at the end
  fua            one connection, every write with FUA, never flushes
  4conn-flush-1  four connections share the chunks; once every write is answered, only
                 the first connection flushes (durable only under multi-conn)
  4conn-flush-4  the same, but every connection flushes
"""
import os
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


def connect(uri):
    h = nbd.NBD()
    h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
    h.connect_uri(uri)
    return h


def main():
    mode = sys.argv[1]
    uri = sys.argv[2] if len(sys.argv) > 2 else os.environ["uri"]
    conns = [connect(uri) for _ in range(4 if mode.startswith("4conn") else 1)]
    todo = list(chunks(data_runs(conns[0])))
    if not todo:
        sys.exit("no data on the disk")
    fua = nbd.CMD_FLAG_FUA if mode == "fua" else 0
    for i, (off, n) in enumerate(todo):
        h = conns[i % len(conns)]
        h.pwrite(h.pread(n, off), off, fua)  # synchronous: the reply is in before the next
    if mode in ("flush", "4conn-flush-1"):
        conns[0].flush()
    elif mode == "4conn-flush-4":
        for h in conns:
            h.flush()
    print("CAN_MULTI_CONN=%d" % conns[0].can_multi_conn())
    for h in conns:
        h.shutdown()


if __name__ == "__main__":
    main()
