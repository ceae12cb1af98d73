package io.sparserandom.client;

import io.netty.buffer.ByteBuf;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdReplyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsing of the structured reply chunks whose payload is read whole (errors, block status) and the
 * range check of read chunks: shared by the Netty client ({@link NbdClientHandler}) and the
 * copier's direct data path ({@link NbdDirectConnection}), so both judge a server by one rule.
 */
final class ReplyChunks {
    private ReplyChunks() {}

    /** A chunk that breaks the protocol; the message says how. */
    static final class BadChunk extends Exception {
        private static final long serialVersionUID = 1L;

        BadChunk(String message) {
            super(message, null, false, false);
        }
    }

    /** An error chunk ({@code NbdReplyType.isErrorType(type)}) of a request as the exception. */
    static NbdException error(int type, ByteBuf b, String request, long offset, long length)
            throws BadChunk {
        if (b.readableBytes() < 6) {
            throw new BadChunk("error chunk too short");
        }
        int errno = b.readInt();
        int msgLen = b.readUnsignedShort();
        if (msgLen > b.readableBytes()) {
            throw new BadChunk("error chunk message length " + msgLen + " exceeds the chunk");
        }
        String message = b.readCharSequence(msgLen, StandardCharsets.UTF_8).toString();
        long errOffset = -1;
        if (type == NbdReplyType.ERROR_OFFSET.wireValue()) {
            if (b.readableBytes() != 8) {
                throw new BadChunk("ERROR_OFFSET chunk has wrong length");
            }
            errOffset = b.readLong();
            if (errOffset < offset || errOffset >= offset + length) {
                throw new BadChunk("ERROR_OFFSET offset " + errOffset + " outside the request");
            }
        }
        if (errno == 0) {
            throw new BadChunk("error chunk with errno 0");
        }
        return new NbdException(request, NbdErrno.of(errno), message, errOffset);
    }

    /** Checks that an OFFSET_DATA or OFFSET_HOLE chunk lies inside its read request. */
    static void checkReadChunk(
            int type, long chunkOffset, long chunkLength, long offset, long length)
            throws BadChunk {
        long rel = chunkOffset - offset;
        if (chunkLength == 0 || rel < 0 || rel > length || chunkLength > length - rel) {
            throw new BadChunk(
                    NbdReplyType.of(type)
                            + " chunk ["
                            + chunkOffset
                            + ", +"
                            + chunkLength
                            + ") outside the request");
        }
    }

    /**
     * Checks a successful reply once its last chunk is in: a read's chunks cover it, a block status
     * reply brought extents.
     */
    static void checkComplete(
            NbdCommand command, long covered, long length, List<Extent> extents, String request)
            throws BadChunk {
        if (command == NbdCommand.READ && covered != length) {
            throw new BadChunk(
                    "read reply covers " + covered + " of " + length + " bytes of " + request);
        }
        if (command == NbdCommand.BLOCK_STATUS && (extents == null || extents.isEmpty())) {
            throw new BadChunk("block status reply without extents to " + request);
        }
    }

    /** A BLOCK_STATUS or BLOCK_STATUS_EXT chunk as extents, cut to the request's {@code length}. */
    static List<Extent> blockStatus(int type, ByteBuf b, NbdExportInfo info, long length)
            throws BadChunk {
        if (type == NbdReplyType.BLOCK_STATUS_EXT.wireValue()) {
            return blockStatusExt(b, info, length);
        }
        if (info.extendedHeaders()) {
            throw new BadChunk(
                    "BLOCK_STATUS chunk with extended headers (BLOCK_STATUS_EXT expected)");
        }
        if (b.readableBytes() < 12 || (b.readableBytes() - 4) % 8 != 0) {
            throw new BadChunk("BLOCK_STATUS chunk has bad length " + b.readableBytes());
        }
        int id = b.readInt();
        if (id != info.metaContextId()) {
            throw new BadChunk(
                    "BLOCK_STATUS chunk for meta context " + id + " which was not negotiated");
        }
        List<Extent> extents = new ArrayList<>(b.readableBytes() / 8);
        long total = 0;
        while (b.isReadable() && total < length) {
            long len = b.readUnsignedInt();
            int flags = b.readInt();
            if (len == 0) {
                throw new BadChunk("zero-length extent");
            }
            len = Math.min(len, length - total); // the last extent may run past the request
            extents.add(new Extent(len, flags));
            total += len;
        }
        return extents;
    }

    /** NBD_REPLY_TYPE_BLOCK_STATUS_EXT: id, count, then count 64-bit (length, status) pairs. */
    private static List<Extent> blockStatusExt(ByteBuf b, NbdExportInfo info, long length)
            throws BadChunk {
        if (!info.extendedHeaders()) {
            throw new BadChunk("BLOCK_STATUS_EXT chunk without extended headers");
        }
        int size = b.readableBytes();
        if (size < 24 || (size - 8) % 16 != 0) {
            throw new BadChunk("BLOCK_STATUS_EXT chunk has bad length " + size);
        }
        int id = b.readInt();
        long count = b.readUnsignedInt();
        if (count != (size - 8) / 16) {
            throw new BadChunk(
                    "BLOCK_STATUS_EXT count " + count + " does not match its length " + size);
        }
        if (id != info.metaContextId()) {
            throw new BadChunk(
                    "BLOCK_STATUS_EXT chunk for meta context " + id + " which was not negotiated");
        }
        List<Extent> extents = new ArrayList<>((int) count);
        long total = 0;
        while (b.isReadable() && total < length) {
            long len = b.readLong();
            long status = b.readLong();
            if (len == 0) {
                throw new BadChunk("zero-length extent");
            }
            // Unsigned: a length of 2^63 or more runs past any request.
            len = len < 0 ? length - total : Math.min(len, length - total);
            // base:allocation keeps its flags in the low 32 bits; the rest is reserved.
            extents.add(new Extent(len, (int) status));
            total += len;
        }
        return extents;
    }
}
