package io.sparserandom.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The verdict against a brute-force model of every byte: any order of writes, overlaps, rewrites,
 * zeroes and trims over holes (and rejected ones over data), over several connections.
 */
class LedgerPropertyTest {
    private static final int SIZE = 12_000;

    /** An operation: kind 0 write, 1 zero, 2 trim; [a, b); on connection conn. */
    record Op(int kind, int a, int b, int conn) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> length =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(1, 300)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(301, SIZE)));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, SIZE - 1),
                        length,
                        Arbitraries.integers().between(1, 4))
                .as((k, a, n, c) -> new Op(k, a, Math.min(SIZE, a + n), c))
                .list()
                .ofMaxSize(400);
    }

    @Provide
    Arbitrary<long[]> runs() {
        // Run lengths from 1 byte up: runs smaller and larger than the requests.
        return Arbitraries.integers()
                .between(1, 700)
                .list()
                .ofMinSize(1)
                .ofMaxSize(200)
                .map(
                        lens -> {
                            List<Long> starts = new ArrayList<>();
                            long pos = 0;
                            for (int len : lens) {
                                if (pos >= SIZE) {
                                    break;
                                }
                                starts.add(pos);
                                pos += len;
                            }
                            return starts.stream().mapToLong(Long::longValue).toArray();
                        });
    }

    @Property(tries = 150)
    void verdictEqualsTheModel(
            @ForAll("runs") long[] starts,
            @ForAll boolean firstIsData,
            @ForAll("ops") List<Op> ops,
            @ForAll @IntRange(min = 0, max = 1) int completeTheCopy)
            throws Exception {
        RunsDisk disk = new RunsDisk(SIZE, starts, firstIsData, true);
        Verifier v = new Verifier(disk);
        BlockDevice[] conns = {
            null, v.forConnection(1), v.forConnection(2), v.forConnection(3), v.forConnection(4)
        };
        boolean[] data = new boolean[SIZE];
        for (int i = 0; i < SIZE; i++) {
            data[i] = disk.isData(i);
        }
        boolean[] written = new boolean[SIZE];
        boolean[] zeroed = new boolean[SIZE];
        int rejected = 0;
        List<Op> all = new ArrayList<>(ops);
        if (completeTheCopy == 1) {
            // Then every data run, in reverse order: the verdict must say complete.
            for (int r = disk.runs() - 1; r >= 0; r--) {
                if (disk.isDataRun(r)) {
                    all.add(new Op(0, (int) disk.runStart(r), (int) disk.runEnd(r), 1 + r % 4));
                }
            }
        }
        for (Op op : all) {
            BlockDevice c = conns[op.conn()];
            if (op.kind() == 0) {
                ByteBuf buf = Unpooled.buffer(op.b() - op.a());
                disk.read(op.a(), op.b() - op.a(), buf);
                c.write(op.a(), buf, 0);
                for (int i = op.a(); i < op.b(); i++) {
                    written[i] = true;
                }
            } else {
                boolean overData = false;
                for (int i = op.a(); i < op.b(); i++) {
                    overData |= data[i];
                }
                if (overData) {
                    assertThrows(DeviceException.class, () -> zeroOrTrim(c, op));
                    rejected++;
                } else {
                    zeroOrTrim(c, op);
                    for (int i = op.a(); i < op.b(); i++) {
                        zeroed[i] = true;
                    }
                }
            }
        }
        Verdict verdict = Verdict.compute(disk, v.ledger(), 0, true, Duration.ZERO);
        long dataBytes = 0;
        long verified = 0;
        long holeZeroed = 0;
        long holeWritten = 0;
        List<long[]> missing = new ArrayList<>();
        long missingBytes = 0;
        for (int i = 0; i < SIZE; i++) {
            if (data[i]) {
                dataBytes++;
                verified += written[i] ? 1 : 0;
                if (!written[i]) {
                    missingBytes++;
                    if (!missing.isEmpty() && missing.get(missing.size() - 1)[1] == i) {
                        missing.get(missing.size() - 1)[1] = i + 1L;
                    } else {
                        missing.add(new long[] {i, i + 1});
                    }
                }
            } else {
                holeZeroed += zeroed[i] ? 1 : 0;
                holeWritten += written[i] ? 1 : 0;
            }
        }
        assertEquals(dataBytes, verdict.dataBytes());
        assertEquals(verified, verdict.dataVerified());
        assertEquals(SIZE - dataBytes, verdict.holeBytes());
        assertEquals(holeZeroed, verdict.holeZeroed());
        assertEquals(holeWritten, verdict.holeWritten());
        assertEquals(missingBytes, verdict.missingBytes());
        assertEquals(missing.size(), verdict.missingRuns());
        assertEquals(Math.min(Verdict.KEEP_MISSING, missing.size()), verdict.missing().size());
        for (int i = 0; i < verdict.missing().size(); i++) {
            assertArrayEquals(missing.get(i), verdict.missing().get(i), "missing range " + i);
        }
        assertEquals(missingBytes == 0, verdict.complete());
        assertEquals(rejected, verdict.ledger().rejectedCount());
        assertEquals(
                rejected > 0
                        ? Verdict.EXIT_REJECTED
                        : missingBytes == 0 ? 0 : Verdict.EXIT_INCOMPLETE,
                verdict.exitStatus());
    }

    private static void zeroOrTrim(BlockDevice c, Op op) throws DeviceException {
        if (op.kind() == 1) {
            c.zero(op.a(), op.b() - op.a(), 0);
        } else {
            c.trim(op.a(), op.b() - op.a(), 0);
        }
    }
}
