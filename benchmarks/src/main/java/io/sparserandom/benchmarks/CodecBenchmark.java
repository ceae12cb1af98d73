package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparserandom.protocol.BlockStatusBuilder;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdErrno;
import io.sparserandom.protocol.NbdReply;
import io.sparserandom.protocol.NbdReplyEncoder;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdRequestDecoder;
import io.sparserandom.protocol.NbdRequestEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a batch of 64 pipelined requests (reads and block status, as nbdcopy sends them), and
 * encoding a batch of 64 replies (read chunks, holes, block status with 16 descriptors, errors).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private ByteBuf wire;
    private EmbeddedChannel channel;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<Object> encoded = new ArrayList<>();
    private ByteBuf readData;
    private List<NbdReply.Descriptor> descriptors;

    @Setup
    public void setUp() {
        wire = Unpooled.directBuffer();
        for (int i = 0; i < 64; i++) {
            NbdRequest r =
                    NbdRequest.of(
                            i % 2 == 0 ? NbdCommand.READ : NbdCommand.BLOCK_STATUS,
                            0,
                            i,
                            i * 262144L,
                            262144);
            NbdRequestEncoder.encodeHeader(r, wire);
            r.release();
        }
        channel = new EmbeddedChannel(new NbdRequestDecoder());
        readData = Unpooled.directBuffer(262144).writeZero(262144);
        BlockStatusBuilder b = new BlockStatusBuilder();
        for (int i = 0; i < 16; i++) {
            b.add(16384, i % 2 == 0 ? 0 : 3);
        }
        descriptors = b.build();
    }

    @Benchmark
    public int decode64Requests() {
        channel.writeInbound(wire.retainedDuplicate());
        int n = 0;
        Object o;
        while ((o = channel.readInbound()) != null) {
            ((NbdRequest) o).release();
            n++;
        }
        return n;
    }

    @Benchmark
    public int encode64Replies() {
        for (int i = 0; i < 64; i++) {
            NbdReply r =
                    switch (i % 4) {
                        case 0 ->
                                new NbdReply.OffsetData(
                                        i, false, i * 262144L, readData.retainedDuplicate());
                        case 1 -> new NbdReply.OffsetHole(i, true, i * 262144L, 262144);
                        case 2 -> new NbdReply.BlockStatus(i, true, 1, descriptors);
                        default ->
                                new NbdReply.ErrorChunk(
                                        i, true, NbdErrno.EIO, "device error at " + i);
                    };
            NbdReplyEncoder.encode(r, alloc, encoded);
        }
        int bytes = 0;
        for (Object o : encoded) {
            ByteBuf b = (ByteBuf) o;
            bytes += b.readableBytes();
            b.release();
        }
        encoded.clear();
        return bytes;
    }
}
