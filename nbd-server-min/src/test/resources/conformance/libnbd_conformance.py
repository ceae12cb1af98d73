#!/usr/bin/python3
"""Conformance checks of our NBD server driven by libnbd (python bindings, libnbd 1.14).

Usage: libnbd_conformance.py SOCKET SECTION
Each SECTION is one area of the NBD spec (doc/proto.md); ConformanceTest runs them one by one.
libnbd runs in STRICT mode (it refuses to send what the spec forbids, and checks the server's
replies); where a check needs the server itself to refuse a bad request, strict mode is relaxed
with set_strict_mode(0) for that request only. Prints 'ok SECTION' on success; any surprise
exits non-zero with a message naming the spec clause.
"""
import errno
import sys

import nbd

SOCKET, SECTION = sys.argv[1], sys.argv[2]
MAIN_SIZE = 64 << 20        # export "" (MemoryDevice.DEFAULT_SIZE)
OTHER_SIZE = 4 * 65536      # export "other"
BLOCK = 65536               # MemoryDevice: blocks 3, 7, 11... start as holes


def fail(msg):
    sys.exit("%s: %s" % (SECTION, msg))


def check(cond, msg):
    if not cond:
        fail(msg)


def expect_errno(name, what, fn, *args, **kw):
    """The server (not libnbd) must answer this request with errno NAME."""
    try:
        fn(*args, **kw)
    except nbd.Error as e:
        got = errno.errorcode.get(e.errno, str(e.errno))
        check(got == name, "%s: expected %s, got %s (%s)" % (what, name, got, e))
        return
    fail("%s: expected %s, but it succeeded" % (what, name))


def handle(structured=True, meta=True, export="", flags=None, strict=True):
    h = nbd.NBD()
    h.set_strict_mode(nbd.STRICT_MASK if strict else 0)
    h.set_request_structured_replies(structured)
    if flags is not None:
        h.set_handshake_flags(flags)
    if meta:
        h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
    h.set_export_name(export)
    h.connect_unix(SOCKET)
    return h


def relaxed(h, fn, *args, **kw):
    """Runs one request with libnbd's client-side checks off, so the server must judge it."""
    old = h.get_strict_mode()
    h.set_strict_mode(0)
    try:
        return fn(*args, **kw)
    finally:
        h.set_strict_mode(old)


def options():
    # "Option haggling": LIST, INFO, LIST_META_CONTEXT, GO one by one (libnbd option mode).
    h = nbd.NBD()
    h.set_strict_mode(nbd.STRICT_MASK)
    h.set_opt_mode(True)
    h.connect_unix(SOCKET)
    check(h.aio_is_negotiating(), "option mode: still negotiating after connect")
    check(h.get_protocol() == "newstyle-fixed", "protocol %s" % h.get_protocol())
    exports = []
    n = h.opt_list(lambda name, desc: exports.append((name, desc)) or 0)
    check(n == 2 and sorted(exports) == [("", "the test disk"), ("other", "a second disk")],
          "NBD_OPT_LIST: one NBD_REP_SERVER per export, got %r" % exports)
    # NBD_OPT_INFO: NBD_INFO_EXPORT is always sent; the client stays in negotiation.
    h.set_export_name("other")
    h.set_full_info(True)
    h.opt_info()
    check(h.get_size() == OTHER_SIZE, "INFO size %d" % h.get_size())
    check(h.get_canonical_export_name() == "other", "NBD_INFO_NAME")
    check(h.get_export_description() == "a second disk", "NBD_INFO_DESCRIPTION")
    check(h.get_block_size(nbd.SIZE_MINIMUM) == 1, "NBD_INFO_BLOCK_SIZE minimum")
    check(h.get_block_size(nbd.SIZE_PREFERRED) == 4096, "NBD_INFO_BLOCK_SIZE preferred")
    check(h.get_block_size(nbd.SIZE_MAXIMUM) == 32 << 20, "NBD_INFO_BLOCK_SIZE maximum")
    check(not h.is_read_only() and h.can_flush() and h.can_fua() and h.can_trim() and h.can_zero()
          and h.can_fast_zero() and h.can_cache() and h.can_multi_conn(), "INFO transmission flags")
    check(h.aio_is_negotiating(), "NBD_OPT_INFO must not end negotiation")
    # An unknown export: NBD_REP_ERR_UNKNOWN, and negotiation goes on.
    h.set_export_name("no-such-export")
    try:
        h.opt_info()
        fail("NBD_OPT_INFO on an unknown export succeeded")
    except nbd.Error:
        pass
    check(h.aio_is_negotiating(), "an option error must not end negotiation")
    # LIST_META_CONTEXT with no query lists every context; with a query of an unknown
    # namespace, nothing (a lone ACK); "base:" lists base:allocation.
    h.set_export_name("")
    contexts = []
    h.opt_list_meta_context(lambda name: contexts.append(name) or 0)
    check(contexts == ["base:allocation"], "LIST_META_CONTEXT, no query: %r" % contexts)
    for query, want in (("x-unknown:thing", []), ("base:", ["base:allocation"]),
                        ("base:allocation", ["base:allocation"])):
        h.clear_meta_contexts()
        h.add_meta_context(query)
        got = []
        h.opt_list_meta_context(lambda name: got.append(name) or 0)
        check(got == want, "LIST_META_CONTEXT %s: %r" % (query, got))
    h.clear_meta_contexts()
    h.add_meta_context(nbd.CONTEXT_BASE_ALLOCATION)
    h.opt_go()
    check(not h.aio_is_negotiating(), "GO ends negotiation")
    check(h.get_size() == MAIN_SIZE, "GO size")
    check(h.can_meta_context(nbd.CONTEXT_BASE_ALLOCATION), "base:allocation selected by GO")
    check(h.pread(16, BLOCK - 8) is not None, "read after GO")
    h.shutdown()
    # NBD_OPT_ABORT: the server replies ACK and closes.
    h = nbd.NBD()
    h.set_opt_mode(True)
    h.connect_unix(SOCKET)
    h.opt_abort()
    check(h.aio_is_closed(), "closed after NBD_OPT_ABORT")


def handshake_flags():
    # "Newstyle negotiation" and "Fixed newstyle negotiation": plain newstyle (EXPORT_NAME only),
    # fixed newstyle without NO_ZEROES (124 bytes of padding after EXPORT_NAME), and both flags.
    for flags, proto in ((0, "newstyle"),
                         (nbd.HANDSHAKE_FLAG_FIXED_NEWSTYLE, "newstyle-fixed"),
                         (nbd.HANDSHAKE_FLAG_FIXED_NEWSTYLE | nbd.HANDSHAKE_FLAG_NO_ZEROES, "newstyle-fixed")):
        h = handle(structured=flags != 0, meta=False, export="other", flags=flags)
        check(h.get_protocol() == proto, "flags %d: protocol %s" % (flags, h.get_protocol()))
        check(h.get_size() == OTHER_SIZE, "flags %d: size" % flags)
        a = h.pread(BLOCK, 0)
        b = h.pread(BLOCK, 0)
        check(a == b and a != bytes(BLOCK), "flags %d: reads" % flags)
        h.shutdown()


def simple_replies():
    # "Simple reply message": no structured replies negotiated.
    h = handle(structured=False, meta=False)
    check(not h.get_structured_replies_negotiated(), "structured replies not requested")
    # "NBD_FLAG_SEND_DF ... MUST leave this flag clear if structured replies have not been negotiated"
    # (libnbd's can_df also looks at structured replies; the raw-socket test sees the bit itself).
    check(not h.can_df(), "SEND_DF advertised without structured replies")
    check(not h.can_meta_context(nbd.CONTEXT_BASE_ALLOCATION), "no meta context without structured replies")
    data = h.pread(3 * BLOCK, 2 * BLOCK)          # data then a hole: one payload, all bytes
    check(len(data) == 3 * BLOCK and data[BLOCK:2 * BLOCK] == bytes(BLOCK), "simple read over a hole")
    h.pwrite(b"\x5a" * 4096, 3 * BLOCK + 100, nbd.CMD_FLAG_FUA)
    check(h.pread(4096, 3 * BLOCK + 100) == b"\x5a" * 4096, "write FUA then read")
    h.zero(BLOCK, 8 * BLOCK, nbd.CMD_FLAG_NO_HOLE)
    h.zero(BLOCK, 9 * BLOCK, nbd.CMD_FLAG_FAST_ZERO)
    check(h.pread(2 * BLOCK, 8 * BLOCK) == bytes(2 * BLOCK), "zeroes read back")
    h.trim(BLOCK, 12 * BLOCK, nbd.CMD_FLAG_FUA)
    h.flush()
    h.cache(BLOCK, 0)
    # "Error values" on the simple path: the server must answer these itself.
    expect_errno("EINVAL", "DF without structured replies", relaxed, h, h.pread, 512, 0, nbd.CMD_FLAG_DF)
    expect_errno("EINVAL", "read past the end", relaxed, h, h.pread, 2, MAIN_SIZE - 1)
    expect_errno("ENOSPC", "write past the end", relaxed, h, h.pwrite, b"ab", MAIN_SIZE - 1)
    expect_errno("EINVAL", "trim past the end", relaxed, h, h.trim, 2, MAIN_SIZE - 1)
    expect_errno("EINVAL", "unknown command flag", relaxed, h, h.pread, 1, 0, 1 << 10)
    expect_errno("EINVAL", "REQ_ONE on a read", relaxed, h, h.pread, 1, 0, nbd.CMD_FLAG_REQ_ONE)
    expect_errno("EINVAL", "zero-length read", relaxed, h, h.pread, 0, 0)
    check(h.pread(8, 0) is not None, "the connection survives errors")
    h.shutdown()


def structured_replies():
    # "Structured reply chunk message" with every command and flag; libnbd checks the framing.
    h = handle()
    check(h.get_structured_replies_negotiated(), "structured replies negotiated")
    check(h.can_df(), "SEND_DF with structured replies")
    offset, count = 2 * BLOCK + 10, 3 * BLOCK        # data, a hole at block 3, data
    for flags, most in ((0, None), (nbd.CMD_FLAG_DF, 1), (nbd.CMD_FLAG_FUA, None)):
        seen = []
        # FUA on a read: valid once SEND_FUA is negotiated, but libnbd's strict flags refuse it.
        buf = relaxed(h, h.pread_structured, count, offset,
                      lambda sub, off, status, err: seen.append((off, len(sub), status)) or 0, flags)
        check(sum(n for _, n, _ in seen) == count, "flags %d: chunks cover the read exactly: %r" % (flags, seen))
        pos = offset
        for off, n, _ in sorted(seen):
            check(off == pos and n > 0, "flags %d: chunks overlap or leave a gap: %r" % (flags, seen))
            pos += n
        if most is not None:
            check(len(seen) == 1 and seen[0][2] == nbd.READ_DATA, "DF: one data chunk, got %r" % seen)
        else:
            check(any(s == nbd.READ_HOLE for _, _, s in seen), "the hole is an OFFSET_HOLE chunk: %r" % seen)
        check(buf[BLOCK - 10:2 * BLOCK - 10] == bytes(BLOCK), "hole reads as zeroes")
    h.pwrite(b"\xa5" * 8192, 5 * BLOCK - 4096, nbd.CMD_FLAG_FUA)
    check(h.pread(8192, 5 * BLOCK - 4096) == b"\xa5" * 8192, "write FUA")
    h.zero(2 * BLOCK, 8 * BLOCK, nbd.CMD_FLAG_NO_HOLE | nbd.CMD_FLAG_FUA)
    h.zero(2 * BLOCK, 8 * BLOCK, nbd.CMD_FLAG_FAST_ZERO)
    h.trim(BLOCK, 12 * BLOCK)
    h.flush()
    h.cache(4 * BLOCK, 0)
    # BLOCK_STATUS: REQ_ONE gives exactly one descriptor, no longer than the request.
    for flags in (0, nbd.CMD_FLAG_REQ_ONE):
        got = []
        h.block_status(10 * BLOCK, BLOCK + 7,
                       lambda ctx, off, ents, err: got.append((ctx, off, list(ents))) or 0, flags)
        check(len(got) == 1 and got[0][0] == "base:allocation", "one chunk per context: %r" % got)
        ents = got[0][2]
        check(len(ents) >= 2 and all(ents[i] > 0 for i in range(0, len(ents), 2)), "descriptors: %r" % ents)
        if flags:
            check(len(ents) == 2 and ents[0] <= 10 * BLOCK, "REQ_ONE: %r" % ents)
        else:
            check(sum(ents[0:len(ents) - 2:2]) < 10 * BLOCK, "first N-1 extents under the length: %r" % ents)
    # Errors come as error chunks; the connection stays usable.
    expect_errno("EINVAL", "read past the end", relaxed, h, h.pread, 2, MAIN_SIZE - 1)
    expect_errno("ENOSPC", "zero past the end", relaxed, h, h.zero, 2, MAIN_SIZE - 1)
    expect_errno("EINVAL", "NO_HOLE on a read", relaxed, h, h.pread, 1, 0, nbd.CMD_FLAG_NO_HOLE)
    expect_errno("EINVAL", "DF on a write", relaxed, h, h.pwrite, b"x", 0, nbd.CMD_FLAG_DF)
    expect_errno("EINVAL", "zero-length block status", relaxed, h, h.block_status, 0, 0,
                 lambda *a: 0)
    check(h.pread(8, 0) is not None, "the connection survives errors")
    h.shutdown()


def read_only():
    # "NBD_FLAG_READ_ONLY ... the server MUST error subsequent write operations": EPERM.
    h = handle(export="")
    check(h.is_read_only(), "read-only flag")
    check(not h.can_trim() and not h.can_zero() and not h.can_fua(), "no write features on a read-only export")
    expect_errno("EPERM", "write", relaxed, h, h.pwrite, b"x" * 512, 0)
    expect_errno("EPERM", "write zeroes", relaxed, h, h.zero, 512, 0)
    expect_errno("EPERM", "trim", relaxed, h, h.trim, 512, 0)
    check(len(h.pread(512, 0)) == 512, "reads still work")
    h.shutdown()


SECTIONS = {f.__name__: f for f in (options, handshake_flags, simple_replies, structured_replies, read_only)}
SECTIONS[SECTION]()
print("ok " + SECTION)
