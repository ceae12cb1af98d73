package io.sparserandom.client;

import io.sparserandom.protocol.NbdHeaders;
import io.sparserandom.protocol.NbdTransmissionFlag;

/**
 * The result of negotiation, handed on as one immutable value.
 *
 * @param size export size in bytes
 * @param transmissionFlags NBD_FLAG_* as sent by the server
 * @param minBlockSize from NBD_INFO_BLOCK_SIZE, or 1 when not sent
 * @param preferredBlockSize from NBD_INFO_BLOCK_SIZE, or 4096 when not sent
 * @param maxBlockSize from NBD_INFO_BLOCK_SIZE, or 32 MiB when not sent
 * @param structuredReplies the server agreed to structured replies
 * @param metaContextId id of base:allocation, or -1 when not negotiated
 * @param usedGo negotiated with NBD_OPT_GO (false: fell back to NBD_OPT_EXPORT_NAME)
 * @param extendedHeaders the server agreed to extended headers: 32-byte requests and replies,
 *     64-bit lengths (structuredReplies is then true as well: every reply is a chunk)
 */
public record NbdExportInfo(
        long size,
        int transmissionFlags,
        int minBlockSize,
        int preferredBlockSize,
        long maxBlockSize,
        boolean structuredReplies,
        int metaContextId,
        boolean usedGo,
        boolean extendedHeaders) {

    private boolean has(int flag) {
        return (transmissionFlags & flag) != 0;
    }

    public boolean readOnly() {
        return has(NbdTransmissionFlag.READ_ONLY);
    }

    public boolean canFlush() {
        return has(NbdTransmissionFlag.SEND_FLUSH);
    }

    public boolean canFua() {
        return has(NbdTransmissionFlag.SEND_FUA);
    }

    public boolean canTrim() {
        return has(NbdTransmissionFlag.SEND_TRIM);
    }

    public boolean canZero() {
        return has(NbdTransmissionFlag.SEND_WRITE_ZEROES);
    }

    public boolean canFastZero() {
        return has(NbdTransmissionFlag.SEND_FAST_ZERO);
    }

    public boolean canDf() {
        return has(NbdTransmissionFlag.SEND_DF);
    }

    public boolean canMultiConn() {
        return has(NbdTransmissionFlag.CAN_MULTI_CONN);
    }

    public boolean canCache() {
        return has(NbdTransmissionFlag.SEND_CACHE);
    }

    /** The headers requests are sent and replies come with. */
    public NbdHeaders headers() {
        return extendedHeaders ? NbdHeaders.EXTENDED : NbdHeaders.COMPACT;
    }

    /** Largest effect length of one request (TRIM, WRITE_ZEROES, CACHE, BLOCK_STATUS). */
    public long maxEffectLength() {
        return extendedHeaders ? Long.MAX_VALUE : 0xffff_ffffL;
    }

    public boolean metaContext() {
        return metaContextId >= 0;
    }

    @Override
    public String toString() {
        return "size="
                + size
                + " flags=0x"
                + Integer.toHexString(transmissionFlags)
                + " block="
                + minBlockSize
                + "/"
                + preferredBlockSize
                + "/"
                + maxBlockSize
                + " structured="
                + structuredReplies
                + " extended-headers="
                + extendedHeaders
                + " base:allocation="
                + metaContext()
                + " multi-conn="
                + canMultiConn()
                + " ro="
                + readOnly()
                + (usedGo ? "" : " (EXPORT_NAME)");
    }
}
