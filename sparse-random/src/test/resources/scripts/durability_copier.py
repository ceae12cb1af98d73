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

# The data runs and their 1 MiB chunks, as the other test copiers walk them (copier.py is
# copied beside this script).
from copier import chunks, data_runs


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
