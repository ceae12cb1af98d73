package io.sparserandom.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdRequest;
import io.sparserandom.protocol.NbdRequestDecoder;
import io.sparserandom.protocol.NbdRequestEncoder;
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

import java.util.concurrent.TimeUnit;

/** Decoding a batch of 64 pipelined requests (reads and block status, as nbdcopy sends them). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private ByteBuf wire;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        wire = Unpooled.directBuffer();
        for (int i = 0; i < 64; i++) {
            NbdRequest r = NbdRequest.of(i % 2 == 0 ? NbdCommand.READ : NbdCommand.BLOCK_STATUS, 0, i, i * 262144L, 262144);
            NbdRequestEncoder.encodeHeader(r, wire);
            r.release();
        }
        channel = new EmbeddedChannel(new NbdRequestDecoder());
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
}
