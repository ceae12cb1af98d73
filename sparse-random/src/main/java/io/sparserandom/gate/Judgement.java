package io.sparserandom.gate;

import io.sparserandom.gate.Scenario.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's outcome and why, in one line. Pure: the same facts always give the same judgement,
 * so every rule is unit-tested without running anything.
 *
 * @param outcome what happened
 * @param why the reasons, for a person reading the table (never empty)
 */
public record Judgement(Outcome outcome, String why) {

    /** Judges a scenario whose server wrote a verdict. */
    public static Judgement of(Kind kind, VerdictFacts f, boolean requireDurable) {
        boolean toolOk = f.toolStatus() == 0;
        boolean lost = f.rejected() > 0 || !f.complete();
        if (toolOk && lost) {
            return new Judgement(
                    Outcome.SILENT_LOSS,
                    "SILENT DATA LOSS (the worst outcome): the tool exited 0 but " + damage(f));
        }
        if (!toolOk) {
            String status = "tool exited " + f.toolStatus();
            String detail = lost ? "; " + damage(f) : "";
            if (kind == Kind.HOSTILE) {
                return new Judgement(Outcome.FAILED_LOUDLY, status + injected(f) + detail);
            }
            return new Judgement(Outcome.BROKE, status + detail);
        }
        if (requireDurable) {
            if (f.durable() == null) {
                return new Judgement(
                        Outcome.NOT_DURABLE,
                        "--require-durable, but the verdict does not report durability");
            }
            if (!f.durable()) {
                return new Judgement(
                        Outcome.NOT_DURABLE,
                        "the tool exited 0 with a complete copy, but "
                                + (f.undurableBytes() == null ? "some" : f.undurableBytes())
                                + " bytes written, zeroed or trimmed were never made durable (no FUA, no flush"
                                + " covering them)");
            }
        }
        String why =
                kind == Kind.HOSTILE
                        ? "tool exited 0 with a complete, verified copy" + injected(f)
                        : "tool exited 0 with a complete, verified copy";
        return new Judgement(Outcome.PASS, why);
    }

    /** A scenario still running at the timeout. */
    public static Judgement hung(double seconds) {
        return new Judgement(
                Outcome.HUNG,
                String.format(
                        java.util.Locale.ROOT,
                        "still running after %.0f s (--timeout): killed with everything it started",
                        seconds));
    }

    /** A scenario whose server gave no verdict (it failed to start, or crashed). */
    public static Judgement error(int status, String lastLine) {
        return new Judgement(
                Outcome.ERROR,
                "no verdict (the scenario's server exited "
                        + status
                        + (lastLine == null || lastLine.isBlank() ? "" : ": " + lastLine.strip())
                        + ")");
    }

    private static String injected(VerdictFacts f) {
        if (f.injectedErrors() == null) {
            return "";
        }
        return f.injectedErrors() == 0
                ? " (0 errors injected: the tool never sent a request chosen to fail)"
                : " (" + f.injectedErrors() + " error(s) injected)";
    }

    /** What is wrong with the copy: the bytes missing and the first rejected offset. */
    private static String damage(VerdictFacts f) {
        List<String> parts = new ArrayList<>();
        if (f.rejected() > 0) {
            parts.add(
                    f.rejected()
                            + " request(s) rejected, first "
                            + (f.firstRejectedCommand() == null
                                    ? ""
                                    : f.firstRejectedCommand() + " ")
                            + "at offset 0x"
                            + Long.toHexString(Math.max(f.firstRejected(), 0)));
        }
        if (!f.complete()) {
            parts.add(
                    f.missingBytes()
                            + " data bytes in "
                            + f.missingRanges()
                            + " range(s) never written"
                            + (f.firstMissing() >= 0
                                    ? ", first at offset 0x" + Long.toHexString(f.firstMissing())
                                    : ""));
        }
        return String.join("; ", parts);
    }
}
