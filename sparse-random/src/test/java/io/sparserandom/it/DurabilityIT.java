package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.cli.DiskArguments;
import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.Capabilities;
import io.sparserandom.device.ForwardingDevice;
import io.sparserandom.generator.SparseRandomDisk;
import io.sparserandom.runner.DurabilityObserver;
import io.sparserandom.server.NbdServer;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import io.sparserandom.verifier.CoverageLedger;
import io.sparserandom.verifier.Verdict;
import io.sparserandom.verifier.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --check-durable with real clients: python3 libnbd copiers that flush, or do not, and the real
 * nbdcopy and qemu-img.
 */
class DurabilityIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String[] DISK = {"1G", "seed=11", "runlength=1M"};

    private static Result run(Path dir, String command, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(DISK));
        args.addAll(List.of(options));
        args.addAll(
                List.of(
                        "--check-complete",
                        "--verdict",
                        dir.resolve("verdict.json").toString(),
                        "--junit",
                        dir.resolve("junit.xml").toString(),
                        "--run",
                        command));
        return Cli.run(TIMEOUT, args.toArray(String[]::new));
    }

    private static String python(Path dir, String mode) throws Exception {
        return Interop.PYTHON + " " + copier(dir) + " " + mode;
    }

    /** The durability copier, with copier.py (whose run walk it imports) beside it. */
    private static Path copier(Path dir) throws Exception {
        Path copier = dir.resolve("durability_copier.py");
        if (!Files.exists(copier)) {
            Cli.script("copier.py", dir);
            Cli.script("durability_copier.py", dir);
        }
        return copier;
    }

    @ParameterizedTest
    @CsvSource({"no-flush,5,false", "flush,0,true", "fua,0,true", "4conn-flush-1,0,true"})
    void pythonCopiersAreJudgedByTheirFlushes(
            String mode, int status, boolean durable, @TempDir Path dir) throws Exception {
        Interop.pythonNbd();
        Result r = run(dir, python(dir, mode), "--check-durable");
        assertEquals(status, r.exit(), r.toString());
        String json = Files.readString(dir.resolve("verdict.json"));
        assertTrue(json.contains("\"complete\": true"), json);
        assertTrue(json.contains("\"durable\": " + durable), json);
        String xml = Files.readString(dir.resolve("junit.xml"));
        assertEquals(!durable, xml.contains("name=\"durable\">\n    <failure"), xml);
        if (!durable) {
            // Every data byte was written and none flushed.
            assertTrue(
                    json.contains(
                            "\"undurable_bytes\": " + field(json, "data_bytes_expected") + ","),
                    json);
            assertTrue(r.stderr().contains("durable:              no, "), r.toString());
        }
        if (mode.startsWith("4conn")) {
            assertTrue(r.stdout().contains("CAN_MULTI_CONN=1"), r.toString());
        }
    }

    @Test
    void withoutCheckDurableANeverFlushingCopierPassesButIsShownNotDurable(@TempDir Path dir)
            throws Exception {
        Interop.pythonNbd();
        Result r = run(dir, python(dir, "no-flush"));
        assertEquals(0, r.exit(), r.toString());
        String json = Files.readString(dir.resolve("verdict.json"));
        assertTrue(json.contains("\"check_durable\": false"), json);
        assertTrue(json.contains("\"durable\": false"), json);
        assertTrue(
                Files.readString(dir.resolve("junit.xml"))
                        .contains("--check-durable not given (durable: no)"));
    }

    /**
     * Four connections, one flushed: durable only when multi-conn was offered. Without flush
     * offered there is no cache, so a copier that never flushes is durable. The server is built
     * here, the way CaptiveServer builds it, with a capability masked (the CLI has no option for it
     * yet).
     */
    @ParameterizedTest
    @CsvSource({
        "multi-conn,4conn-flush-1,false",
        "multi-conn,4conn-flush-4,true",
        "flush,no-flush,true"
    })
    void maskedCapabilitiesChangeTheRules(
            String masked, String mode, boolean durable, @TempDir Path dir) throws Exception {
        Interop.pythonNbd();
        UnaryOperator<Capabilities> mask =
                masked.equals("flush") ? c -> c.withFlush(false) : c -> c.withMultiConn(false);
        SparseRandomDisk disk =
                SparseRandomDisk.create(DiskArguments.parse(List.of(DISK)).params());
        CoverageLedger ledger = new CoverageLedger();
        Verifier verifier = new Verifier(disk, ledger);
        Path socket = dir.resolve("nbd.sock");
        Result r;
        try (NbdServer server =
                NbdServer.builder()
                        .device("", "masked", c -> new Masked(verifier.forConnection(c.id()), mask))
                        .transmissionObserver(new DurabilityObserver(ledger.durability()))
                        .unixSocket(socket)
                        .build()
                        .start()) {
            r =
                    Programs.run(
                            TIMEOUT,
                            Interop.PYTHON,
                            copier(dir).toString(),
                            mode,
                            "nbd+unix:///?socket=" + socket);
        }
        assertEquals(0, r.exit(), r.toString());
        assertEquals(
                masked.equals("multi-conn"), r.stdout().contains("CAN_MULTI_CONN=0"), r.toString());
        Verdict v = Verdict.compute(disk, ledger, r.exit(), true, true, Duration.ZERO);
        assertTrue(v.complete(), v.incompleteReason());
        assertEquals(durable, v.durable(), String.valueOf(v.undurableReason()));
        assertEquals(durable ? 0 : Verdict.EXIT_NOT_DURABLE, v.exitStatus());
        if (!durable) {
            // Three connections of four never flushed: most of the data, not all of it.
            long left = v.durability().undurableBytes();
            assertTrue(left > 0 && left < v.dataBytes(), "undurable " + left);
        }
    }

    /** The verifying device with a capability turned off. */
    private static final class Masked extends ForwardingDevice {
        private final UnaryOperator<Capabilities> mask;

        Masked(BlockDevice next, UnaryOperator<Capabilities> mask) {
            super(next);
            this.mask = mask;
        }

        @Override
        public Capabilities capabilities() {
            return mask.apply(next.capabilities());
        }
    }

    /**
     * nbdcopy sends FLUSH only with --flush (its documented default; nbdkit's log filter shows the
     * same): a plain self-copy is complete but not durable.
     */
    @ParameterizedTest
    @CsvSource({"'nbdcopy \"$uri\" \"$uri\"',5", "'nbdcopy --flush \"$uri\" \"$uri\"',0"})
    void nbdcopyIsDurableOnlyWithFlush(String command, int status, @TempDir Path dir)
            throws Exception {
        Interop.require("nbdcopy");
        Result r = run(dir, command, "--check-durable");
        assertEquals(status, r.exit(), r.toString());
        assertTrue(Files.readString(dir.resolve("verdict.json")).contains("\"complete\": true"));
    }

    @Test
    void qemuImgConvertFlushesAndIsDurable(@TempDir Path dir) throws Exception {
        Interop.require("qemu-img");
        Result r =
                run(dir, "qemu-img convert -n -f raw -O raw \"$uri\" \"$uri\"", "--check-durable");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.readString(dir.resolve("verdict.json")).contains("\"durable\": true"));
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\": ");
        assertFalse(at < 0, name + " in " + json);
        int from = at + name.length() + 4;
        return json.substring(from, json.indexOf(',', from));
    }
}
