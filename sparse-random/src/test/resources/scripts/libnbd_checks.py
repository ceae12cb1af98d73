#!/usr/bin/python3
"""Drives the server with python3 libnbd and checks the answers. Exits non-zero on the first
surprise. Usage: libnbd_checks.py [readonly]   ($uri names the server)"""
import errno
import os
import sys

import nbd


def expect_error(errno_name, what, fn, *args):
    try:
        fn(*args)
    except nbd.Error as e:
        got = errno.errorcode.get(e.errno, str(e.errno))
        if got != errno_name:
            sys.exit("%s: expected %s, got %s (%s)" % (what, errno_name, got, e))
        return str(e)
    sys.exit("%s: expected %s, but it succeeded" % (what, errno_name))


h = nbd.NBD()
h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
h.connect_uri(os.environ["uri"])
size = h.get_size()
readonly = len(sys.argv) > 1 and sys.argv[1] == "readonly"
assert h.can_meta_context(nbd.CONTEXT_BASE_ALLOCATION), "base:allocation not negotiated"
assert h.get_structured_replies_negotiated(), "structured replies not negotiated"
assert h.is_read_only() == readonly, "read-only flag %s" % h.is_read_only()

# Find the first data run and the first hole.
extents = []
h.block_status(min(size, 1 << 30), 0,
               lambda ctx, off, entries, err: extents.extend(entries) or 0)
pos, data, hole = 0, None, None
for i in range(0, len(extents), 2):
    if extents[i + 1] & nbd.STATE_HOLE:
        hole = hole if hole is not None else (pos, extents[i])
    else:
        data = data if data is not None else (pos, extents[i])
    pos += extents[i]
assert data is not None and hole is not None, "need both data and a hole in the first GiB"

block = h.pread(4096, data[0])
assert block != bytes(4096), "data block reads as zeroes"
assert h.pread(4096, hole[0]) == bytes(4096), "hole does not read as zeroes"
# Unaligned reads agree with aligned ones.
assert h.pread(100, data[0] + 1000) == block[1000:1100], "unaligned read differs"

if readonly:
    expect_error("EPERM", "write on read-only", h.pwrite, block, data[0])
    # Past libnbd's own checks, so that the server itself must answer EPERM.
    h.set_strict_mode(0)
    expect_error("EPERM", "zero on read-only (server side)", h.zero, 4096, hole[0])
    expect_error("EPERM", "trim on read-only (server side)", h.trim, 4096, hole[0])
else:
    h.pwrite(block, data[0])                         # the right bytes: accepted
    h.pwrite(block[10:20], data[0] + 10)             # unaligned, right bytes
    h.pwrite(bytes(4096), hole[0])                   # zeroes over a hole
    h.zero(4096, hole[0])
    h.trim(4096, hole[0])
    h.flush()
    bad = bytearray(block)
    bad[5] ^= 1
    msg = expect_error("EIO", "flipped byte", h.pwrite, bytes(bad), data[0])
    print("flipped byte: " + msg)
    expect_error("EIO", "zero over data", h.zero, 4096, data[0])
    h.pwrite(block, data[0])                         # the connection is still usable
expect_error("EINVAL", "read past the end", h.pread, 4096, size)
h.shutdown()
print("OK")
