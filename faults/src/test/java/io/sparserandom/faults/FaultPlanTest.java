package io.sparserandom.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.BlockSizes;
import io.sparserandom.device.Errno;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FaultPlanTest {
    private static FaultPlan parse(String... args) {
        return FaultPlan.parse(List.of(args));
    }

    @Test
    void noOptionsIsNoFaults() {
        FaultPlan p = parse();
        assertTrue(p.isEmpty());
        assertEquals(FaultPlan.none(), p);
        assertEquals(42, p.seed(42));
        assertEquals("no faults", p.toString());
    }

    @Test
    void errorWithDefaults() {
        ErrorRule r = ErrorRule.parse("read:1%");
        assertEquals(Set.of(FaultCommand.READ), r.commands());
        assertEquals(0.01, r.rate().value(), 1e-15);
        assertEquals(Errno.EIO, r.errno());
        assertFalse(r.once());
    }

    @Test
    void errorWithEverything() {
        ErrorRule r = ErrorRule.parse("write,zero,block-status:0.25:ENOSPC:once");
        assertEquals(
                EnumSet.of(FaultCommand.WRITE, FaultCommand.ZERO, FaultCommand.BLOCK_STATUS),
                r.commands());
        assertEquals(0.25, r.rate().value());
        assertEquals(Errno.ENOSPC, r.errno());
        assertTrue(r.once());
    }

    @Test
    void onceWithoutErrnoMeansEio() {
        ErrorRule r = ErrorRule.parse("flush:1:once");
        assertEquals(Errno.EIO, r.errno());
        assertTrue(r.once());
        assertEquals(1.0, r.rate().value());
    }

    @Test
    void allMeansEveryCommand() {
        assertEquals(EnumSet.allOf(FaultCommand.class), ErrorRule.parse("all:1%").commands());
    }

    @ParameterizedTest
    @EnumSource(Errno.class)
    void everyErrnoIsAccepted(Errno e) {
        assertEquals(e, ErrorRule.parse("read:0.5:" + e.name()).errno());
        assertEquals(e, ErrorRule.parse("read:0.5:" + e.name().toLowerCase(Locale.ROOT)).errno());
    }

    @ParameterizedTest
    @CsvSource({
        "1%, 0.01",
        "0.01, 0.01",
        "100%, 1",
        "0%, 0",
        "0, 0",
        "1, 1",
        "0.5%, 0.005",
        ".5, 0.5",
        "1e-3, 0.001"
    })
    void rates(String text, double value) {
        assertEquals(value, FaultRate.parse(text).value(), 1e-15);
    }

    @Test
    void allOptionsTogether() {
        FaultPlan p =
                parse(
                        "--error",
                        "read:1%",
                        "--error=write:0.5:ENOSPC:once",
                        "--corrupt-reads",
                        "0.1%",
                        "--fault-seed=7",
                        "--no-extents",
                        "--no-multi-conn",
                        "--no-zero",
                        "--no-fast-zero",
                        "--no-trim",
                        "--no-fua",
                        "--no-flush",
                        "--no-cache");
        assertEquals(2, p.errors().size());
        assertEquals(Set.of(FaultCommand.READ), p.errors().get(0).commands());
        assertEquals(Errno.ENOSPC, p.errors().get(1).errno());
        assertEquals(0.001, p.corruptReads().value(), 1e-15);
        assertEquals(7, p.seed(42));
        assertEquals(EnumSet.allOf(MaskedFeature.class), p.masked());
        assertFalse(p.isEmpty());
    }

    @Test
    void printedPlanParsesBackToItself() {
        FaultPlan p =
                parse(
                        "--error",
                        "read,cache:1%:EPERM",
                        "--error",
                        "all:0.003:once",
                        "--corrupt-reads",
                        "1e-5",
                        "--fault-seed",
                        "18446744073709551615",
                        "--no-trim",
                        "--no-extents");
        assertEquals(p, FaultPlan.parse(p.toArgs()));
        assertEquals(-1, p.seed(0)); // the largest unsigned seed, stored in 64 bits
    }

    @Test
    void maskSwitchesRepeatHarmlessly() {
        assertEquals(Set.of(MaskedFeature.TRIM), parse("--no-trim", "--no-trim").masked());
    }

    @Test
    void seedParsing() {
        assertEquals(-5, FaultPlan.parseSeed("-5"));
        assertEquals(123, FaultPlan.parseSeed("123"));
    }

    // One test per misuse: each names the bad value in one line.

    private static void rejects(String fragment, String... args) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertTrue(
                e.getMessage().contains(fragment),
                () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void errorWithoutRate() {
        rejects("'read'", "--error", "read");
    }

    @Test
    void errorWithTooManyParts() {
        rejects("'read:1%:EIO:once:x'", "--error", "read:1%:EIO:once:x");
    }

    @Test
    void errorWithUnknownCommand() {
        rejects("unknown command 'rite'", "--error", "rite:1%");
    }

    @Test
    void errorWithEmptyCommand() {
        rejects("unknown command ''", "--error", "read,:1%");
    }

    @Test
    void errorWithCommandTwice() {
        rejects("'read' is listed twice", "--error", "read,read:1%");
    }

    @Test
    void errorWithUnknownErrno() {
        rejects("unknown errno 'EBADF'", "--error", "read:1%:EBADF");
    }

    @Test
    void errorWithBadSuffix() {
        rejects("unknown suffix 'twice'", "--error", "read:1%:EIO:twice");
    }

    @Test
    void errorWithBadRate() {
        rejects("bad rate 'often'", "--error", "read:often");
    }

    @Test
    void errorWithEmptyRate() {
        rejects("bad rate ''", "--error", "read:");
    }

    @Test
    void errorWithRateAboveOne() {
        rejects("'150%' is not between 0 and 1", "--error", "read:150%");
    }

    @Test
    void errorWithRateAboveOneAsProbability() {
        rejects("'2' is not between 0 and 1", "--error", "read:2");
    }

    @Test
    void errorWithNegativeRate() {
        rejects("bad rate '-0.1'", "--error", "read:-0.1");
    }

    @Test
    void errorWithNanRate() {
        rejects("bad rate 'NaN'", "--error", "read:NaN");
    }

    @Test
    void errorWithHexRate() {
        rejects("bad rate '0x1p-3'", "--error", "read:0x1p-3");
    }

    @Test
    void errorWithoutValue() {
        rejects("--error needs a value", "--error");
    }

    @Test
    void corruptReadsWithBadRate() {
        rejects("--corrupt-reads: bad rate 'lots'", "--corrupt-reads", "lots");
    }

    @Test
    void corruptReadsTwice() {
        rejects("--corrupt-reads given twice", "--corrupt-reads", "1%", "--corrupt-reads", "2%");
    }

    @Test
    void seedNotANumber() {
        rejects("bad --fault-seed 'abc'", "--fault-seed", "abc");
    }

    @Test
    void seedTooLarge() {
        rejects("bad --fault-seed '18446744073709551616'", "--fault-seed", "18446744073709551616");
    }

    @Test
    void seedTwice() {
        rejects("--fault-seed given twice", "--fault-seed", "1", "--fault-seed", "2");
    }

    @Test
    void maskSwitchWithValue() {
        rejects("--no-trim takes no value", "--no-trim=yes");
    }

    @Test
    void unknownOption() {
        rejects("unknown fault option '--no-such'", "--no-such");
    }

    @Test
    void serverOptionsParse() {
        FaultPlan p =
                parse(
                        "--delay",
                        "read,write:2ms",
                        "--delay=read:500us",
                        "--rate",
                        "200M",
                        "--block-size",
                        "4K:64K:1M",
                        "--block-size-policy",
                        "disconnect",
                        "--disconnect-after",
                        "1G");
        assertEquals(Duration.ofNanos(2_500_000), p.delay(FaultCommand.READ));
        assertEquals(Duration.ofMillis(2), p.delay(FaultCommand.WRITE));
        assertEquals(Duration.ZERO, p.delay(FaultCommand.FLUSH));
        assertEquals(200L << 20, p.rate());
        assertEquals(new BlockSizes(4096, 65536, 1 << 20), p.blockSizes().orElseThrow());
        assertEquals(BlockSizePolicy.DISCONNECT, p.blockSizePolicy());
        assertEquals(1L << 30, p.disconnectAfter());
        assertTrue(p.hasServerFaults());
        assertFalse(p.hasDeviceFaults());
        assertEquals(p, FaultPlan.parse(p.toArgs()));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofNanos(500_000), FaultValues.parseDuration("d", "500us"));
        assertEquals(Duration.ofMillis(2), FaultValues.parseDuration("d", "2ms"));
        assertEquals(Duration.ofMillis(1500), FaultValues.parseDuration("d", "1.5s"));
        assertEquals(Duration.ofSeconds(1), FaultValues.parseDuration("d", "1"));
        assertEquals(Duration.ZERO, FaultValues.parseDuration("d", "0ms"));
    }

    @Test
    void disconnectPolicyAloneEnforcesTheDefaultLimits() {
        FaultPlan p = parse("--block-size-policy", "disconnect");
        assertTrue(p.enforcesBlockSizes());
        assertEquals(BlockSizes.DEFAULT, p.effectiveBlockSizes());
        assertFalse(parse("--block-size-policy", "error").enforcesBlockSizes());
    }

    @Test
    void delayWithoutDuration() {
        rejects("expected OPS:DURATION", "--delay", "read");
    }

    @Test
    void delayWithBadDuration() {
        rejects("cannot parse duration '2 weeks'", "--delay", "read:2 weeks");
    }

    @Test
    void delayTooLong() {
        rejects("longer than 10 minutes", "--delay", "read:3600s");
    }

    @Test
    void delayWithUnknownCommand() {
        rejects("unknown command 'reed'", "--delay", "reed:1ms");
    }

    @Test
    void rateNotASize() {
        rejects("--rate: cannot parse 'fast'", "--rate", "fast");
    }

    @Test
    void rateZero() {
        rejects("--rate: '0' must be more than 0", "--rate", "0");
    }

    @Test
    void rateTwice() {
        rejects("--rate given twice", "--rate", "1M", "--rate", "2M");
    }

    @Test
    void blockSizeNotThreeParts() {
        rejects("is not MIN:PREFERRED:MAX", "--block-size", "4K:64K");
    }

    @Test
    void blockSizeMinimumNotAPowerOfTwo() {
        rejects("minimum block size 3000 is not a power of two", "--block-size", "3000:4K:1M");
    }

    @Test
    void blockSizeMinimumTooLarge() {
        rejects("minimum block size 131072", "--block-size", "128K:128K:1M");
    }

    @Test
    void blockSizePreferredBelowMinimum() {
        rejects("preferred block size 4096", "--block-size", "8K:4K:1M");
    }

    @Test
    void blockSizeMaximumTooLarge() {
        rejects("maximum block size 67108864", "--block-size", "4K:4K:64M");
    }

    @Test
    void blockSizeMaximumBelowPreferred() {
        rejects("maximum block size 1024", "--block-size", "512:4K:1K");
    }

    @Test
    void unknownBlockSizePolicy() {
        rejects("not one of error, disconnect", "--block-size-policy", "ignore");
    }

    @Test
    void disconnectAfterNegative() {
        rejects("--disconnect-after: cannot parse '-1'", "--disconnect-after", "-1");
    }

    @Test
    void disconnectAfterTooLarge() {
        rejects("--disconnect-after: '16E' is too large", "--disconnect-after", "16E");
    }
}
