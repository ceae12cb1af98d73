package io.sparserandom.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The one buffer pool of a server process: socket reads, write payloads, replies and the data read
 * from devices.
 *
 * <p>Why not Netty's default: Netty 4.2's adaptive allocator counts a JVM with at most 512 MiB of
 * heap as short of memory, and then pools nothing larger than 16 KiB. With the launcher's 160 MiB
 * heap every socket read, write payload and read reply of a copy tool (256 KiB for nbdcopy) was a
 * malloc and a free of its own: glibc kept what they freed (130 MiB of 339 resident under hostile
 * clients), and a fixed mmap threshold, which would have given it back, made each of them an mmap
 * and a munmap (server CPU for a 16G self-copy doubled).
 *
 * <p>This pool takes 4 MiB chunks from malloc and cuts them itself, so buffers up to 4 MiB
 * (nbdcopy's 256 KiB, qemu-img's 2 MiB) reuse memory the pool already holds; larger ones (a 32 MiB
 * read) are allocated alone and freed on release. A chunk is freed once it empties. Two arenas, one
 * per core of the machines we run on, shared by the event loops; thread caches only for buffers
 * below 32 KiB, so that no event loop keeps large buffers to itself.
 */
public final class ServerBuffers {
    /** 8 KiB pages, 2^9 pages per chunk: 4 MiB. */
    private static final int PAGE_SIZE = 8192;

    private static final int MAX_ORDER = 9;

    /** Chunks are cut from this many arenas; threads are spread over them. */
    private static final int ARENAS = 2;

    /** Cached small buffers per size class and thread (headers and handshake messages). */
    private static final int SMALL_CACHE = 256;

    public static final ByteBufAllocator ALLOCATOR =
            new PooledByteBufAllocator(
                    true, 0, ARENAS, PAGE_SIZE, MAX_ORDER, SMALL_CACHE, 0, false, 0);

    /** The largest buffer the pool cuts from a chunk; larger ones are allocated alone. */
    public static final int CHUNK_SIZE = PAGE_SIZE << MAX_ORDER;

    private ServerBuffers() {}
}
