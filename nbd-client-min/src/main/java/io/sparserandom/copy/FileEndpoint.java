package io.sparserandom.copy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sparserandom.client.Extent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A local file. Java cannot ask for SEEK_DATA/SEEK_HOLE, so as a source the whole file is data. As
 * a target it is created when missing and extended to the source size; a file we created (or
 * extended) already reads as zeroes there, so zeroing that part writes nothing and the file stays
 * sparse. Zeroing an existing part writes zero blocks.
 */
public final class FileEndpoint implements CopyEndpoint {
    private static final ByteBuf ZEROES =
            Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(1 << 20).writeZero(1 << 20).asReadOnly());

    private final Path path;
    private final FileChannel channel;
    private final long size;

    /**
     * Bytes below this offset existed before we opened the file; above it they are fresh zeroes.
     */
    private final long freshFrom;

    private FileEndpoint(Path path, FileChannel channel, long size, long freshFrom) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.freshFrom = freshFrom;
    }

    public static FileEndpoint openSource(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new FileEndpoint(path, ch, ch.size(), Long.MAX_VALUE);
    }

    /** Opens (creating if missing) a target and extends it to {@code size} if it is shorter. */
    public static FileEndpoint openTarget(Path path, long size) throws IOException {
        boolean existed = Files.exists(path);
        long oldSize = existed ? Files.size(path) : 0;
        if (!existed || (Files.isRegularFile(path) && oldSize < size)) {
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                raf.setLength(size);
            }
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // Only a regular file we created or extended is known to read as zeroes past its old end;
        // anything else (a block device, say) gets real zero writes everywhere.
        long freshFrom = !existed ? 0 : Files.isRegularFile(path) ? oldSize : Long.MAX_VALUE;
        return new FileEndpoint(path, ch, Math.max(size, oldSize), freshFrom);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public int connections() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int extendConnections(int wanted) {
        return wanted;
    }

    @Override
    public boolean supportsMultiConn() {
        return true;
    }

    @Override
    public long maxRequestLength() {
        return 32L << 20;
    }

    @Override
    public long maxZeroLength() {
        return 1L << 30;
    }

    @Override
    public boolean canExtents() {
        return false;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public CompletableFuture<ByteBuf> read(int lane, long offset, int length) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
        try {
            ByteBuffer nio = buf.nioBuffer(0, length);
            long pos = offset;
            while (nio.hasRemaining()) {
                int n = channel.read(nio, pos);
                if (n < 0) {
                    throw new IOException(path + ": unexpected end of file at " + pos);
                }
                pos += n;
            }
            buf.writerIndex(length);
            return CompletableFuture.completedFuture(buf);
        } catch (IOException | RuntimeException e) {
            buf.release();
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> write(int lane, long offset, ByteBuf data) {
        try {
            writeFully(offset, data);
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            data.release();
        }
    }

    private void writeFully(long offset, ByteBuf data) throws IOException {
        long pos = offset;
        for (ByteBuffer nio : data.nioBuffers()) {
            while (nio.hasRemaining()) {
                pos += channel.write(nio, pos);
            }
        }
    }

    @Override
    public CompletableFuture<Void> zero(int lane, long offset, long length) {
        try {
            long end = Math.min(offset + length, freshFrom);
            for (long pos = offset; pos < end; ) {
                int n = (int) Math.min(ZEROES.capacity(), end - pos);
                writeFully(pos, ZEROES.slice(0, n));
                pos += n;
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<Extent> extents(int lane, long offset, long length) {
        return List.of(new Extent(length, 0));
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the data was written (and flushed if asked)
        }
    }
}
