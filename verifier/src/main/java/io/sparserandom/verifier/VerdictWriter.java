package io.sparserandom.verifier;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Verdict} for people (stderr summary), for programs (JSON) and for CI (JUnit
 * XML).
 */
public final class VerdictWriter {
    private VerdictWriter() {}

    /** The short summary printed on stderr at the end of a run. */
    public static String summary(Verdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("sparse-random verdict: ")
                .append(v.passed() ? "PASS" : "FAIL")
                .append(" (exit ")
                .append(v.exitStatus())
                .append(")\n");
        if (v.toolExitStatus() != null) {
            sb.append("  tool exit status:     ").append(v.toolExitStatus()).append('\n');
        }
        sb.append("  data bytes expected:  ")
                .append(v.dataBytes())
                .append(" (")
                .append(human(v.dataBytes()))
                .append(")\n");
        sb.append("  written and verified: ")
                .append(v.dataVerified())
                .append(" (")
                .append(percent(v.dataVerified(), v.dataBytes()))
                .append(")\n");
        sb.append("  rejected requests:    ").append(v.ledger().rejectedCount()).append('\n');
        if (!v.injectedErrors().isEmpty()) {
            sb.append("  injected errors:      ")
                    .append(v.injectedTotal())
                    .append(" (")
                    .append(injectedList(v, " "))
                    .append(")\n");
        }
        for (Mismatch m :
                v.ledger().mismatches().subList(0, Math.min(5, v.ledger().mismatches().size()))) {
            sb.append("    ")
                    .append(m.command())
                    .append(" conn ")
                    .append(m.connection())
                    .append(": ")
                    .append(m.message())
                    .append('\n');
        }
        if (v.ledger().overflowed()) {
            sb.append("  missing data:         unknown (coverage ledger over its cap)\n");
        } else {
            sb.append("  missing data:         ")
                    .append(v.missingExact() ? "" : "at least ")
                    .append(v.missingBytes())
                    .append(" bytes in ")
                    .append(v.missingRuns())
                    .append(" range(s)")
                    .append('\n');
        }
        for (long[] r : v.missing().subList(0, Math.min(3, v.missing().size()))) {
            sb.append("    0x")
                    .append(Long.toHexString(r[0]))
                    .append("-0x")
                    .append(Long.toHexString(r[1]))
                    .append(" (")
                    .append(r[1] - r[0])
                    .append(" bytes)")
                    .append(System.lineSeparator());
        }
        sb.append("  hole bytes zeroed:    ")
                .append(v.holeZeroed())
                .append(", written: ")
                .append(v.holeWritten())
                .append(" of ")
                .append(v.holeBytes())
                .append('\n');
        sb.append("  durable:              ")
                .append(v.durable() ? "yes" : "no, " + v.undurableReason())
                .append('\n');
        Verdict.AllocatedZero az = v.allocatedZero();
        if (az.bytes() > 0) {
            sb.append("  allocated zero:       ")
                    .append(az.bytes())
                    .append(" (of the hole bytes): zeroed ")
                    .append(az.zeroed())
                    .append(", written ")
                    .append(az.written())
                    .append(", left alone ")
                    .append(az.leftAlone())
                    .append('\n');
        }
        if (v.walked() < v.diskSize()) {
            sb.append("  note: the byte counts cover the first ")
                    .append(v.walked())
                    .append(" bytes (the disk has more than ")
                    .append(Verdict.MAX_EXTENTS)
                    .append(" runs)\n");
        }
        if (v.ledger().overflowed()) {
            sb.append("  note: ").append(v.incompleteReason()).append('\n');
        }
        if (v.checkComplete() && !v.complete() && v.noRejects() && v.toolSucceeded()) {
            sb.append("  incomplete: ").append(v.incompleteReason()).append('\n');
        }
        sb.append("  elapsed:              ")
                .append(fixed(v.elapsed().toNanos() / 1e9, 3))
                .append(" s")
                .append(System.lineSeparator());
        return sb.toString();
    }

    /** The verdict as JSON; fields documented in the README. */
    public static String json(Verdict v) {
        CoverageLedger l = v.ledger();
        StringBuilder sb = new StringBuilder("{\n");
        field(sb, "passed", v.passed());
        field(sb, "exit_status", v.exitStatus());
        field(sb, "tool_exit_status", v.toolExitStatus());
        field(sb, "check_complete", v.checkComplete());
        field(sb, "complete", v.complete());
        Durability d = v.durability();
        field(sb, "check_durable", v.checkDurable());
        field(sb, "durable", v.durable());
        field(sb, "undurable_bytes", d.undurableBytes());
        field(sb, "undurable_ranges_count", d.undurableRanges());
        field(sb, "undurable_first_offset", d.firstOffset() < 0 ? null : d.firstOffset());
        field(sb, "undurable_exact", d.exact());
        field(sb, "disk_size", v.diskSize());
        field(sb, "checked_bytes", v.walked());
        field(sb, "data_bytes_expected", v.dataBytes());
        field(sb, "data_bytes_verified", v.dataVerified());
        field(sb, "data_bytes_missing", v.missingBytes());
        field(sb, "missing_ranges_count", v.missingRuns());
        field(sb, "missing_exact", v.missingExact());
        field(sb, "missing_checked_bytes", v.examined());
        sb.append("  \"missing_ranges\": [");
        List<long[]> missing = v.missing();
        for (int i = 0; i < missing.size(); i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append("{\"offset\": ")
                    .append(missing.get(i)[0])
                    .append(", \"length\": ")
                    .append(missing.get(i)[1] - missing.get(i)[0])
                    .append('}');
        }
        sb.append("],\n");
        field(sb, "hole_bytes", v.holeBytes());
        field(sb, "hole_bytes_zeroed", v.holeZeroed());
        field(sb, "hole_bytes_written", v.holeWritten());
        field(sb, "allocated_zero_bytes", v.allocatedZero().bytes());
        field(sb, "allocated_zero_zeroed", v.allocatedZero().zeroed());
        field(sb, "allocated_zero_written", v.allocatedZero().written());
        field(sb, "allocated_zero_left_alone", v.allocatedZero().leftAlone());
        field(sb, "write_requests", l.writeRequests());
        field(sb, "write_bytes", l.writeBytes());
        field(sb, "zero_requests", l.zeroRequests());
        field(sb, "zero_bytes", l.zeroBytes());
        field(sb, "trim_requests", l.trimRequests());
        field(sb, "trim_bytes", l.trimBytes());
        field(sb, "ledger_overflowed", l.overflowed());
        field(sb, "ledger_max_ranges", l.maxRanges());
        field(sb, "rejected_count", l.rejectedCount());
        sb.append("  \"rejected\": [");
        List<Mismatch> ms = l.mismatches();
        for (int i = 0; i < ms.size(); i++) {
            Mismatch m = ms.get(i);
            sb.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"command\": ")
                    .append(str(m.command()))
                    .append(", \"connection\": ")
                    .append(m.connection())
                    .append(", \"request_offset\": ")
                    .append(m.requestOffset())
                    .append(", \"length\": ")
                    .append(m.length())
                    .append(", \"offset\": ")
                    .append(m.offset())
                    .append(", \"expected\": ")
                    .append(str(m.expected()))
                    .append(", \"actual\": ")
                    .append(str(m.actual()))
                    .append(", \"message\": ")
                    .append(str(m.message()))
                    .append('}');
        }
        sb.append(ms.isEmpty() ? "],\n" : "\n  ],\n");
        sb.append("  \"injected_errors\": {");
        String sep = "";
        for (var e : v.injectedErrors().entrySet()) {
            sb.append(sep).append(str(e.getKey())).append(": ").append(e.getValue());
            sep = ", ";
        }
        sb.append("},\n");
        sb.append("  \"elapsed_seconds\": ")
                .append(String.format(Locale.ROOT, "%.6f", v.elapsed().toNanos() / 1e9))
                .append("\n}\n");
        return sb.toString();
    }

    /** JUnit XML: one test case per check, so CI systems show the verdict natively. */
    public static String junit(Verdict v, String suiteName) {
        String[][] cases = {
            {
                "tool exited 0",
                v.toolSucceeded() ? null : "tool exited with status " + v.toolExitStatus()
            },
            {
                "no rejected writes",
                v.noRejects()
                        ? null
                        : v.ledger().rejectedCount()
                                + " request(s) rejected; first: "
                                + (v.ledger().mismatches().isEmpty()
                                        ? ""
                                        : v.ledger().mismatches().get(0).message())
            },
            {"complete", !v.checkComplete() || v.complete() ? null : v.incompleteReason()},
            {"durable", !v.checkDurable() || v.durable() ? null : v.undurableReason()},
        };
        int failures = 0;
        for (String[] c : cases) {
            failures += c[1] == null ? 0 : 1;
        }
        double seconds = v.elapsed().toNanos() / 1e9;
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                        xml(suiteName),
                        cases.length,
                        failures,
                        (v.checkComplete() ? 0 : 1) + (v.checkDurable() ? 0 : 1),
                        seconds));
        if (!v.injectedErrors().isEmpty()) {
            // Informational, not a check: a tool may well fail because of them.
            sb.append("  <properties>\n");
            for (var e : v.injectedErrors().entrySet()) {
                sb.append("    <property name=\"injected_errors.")
                        .append(xml(e.getKey()))
                        .append("\" value=\"")
                        .append(e.getValue())
                        .append("\"/>\n");
            }
            sb.append("  </properties>\n");
        }
        for (String[] c : cases) {
            sb.append("  <testcase classname=\"")
                    .append(xml(suiteName))
                    .append("\" name=\"")
                    .append(xml(c[0]))
                    .append('"');
            if (c[0].equals("complete") && !v.checkComplete()) {
                sb.append(
                        ">\n    <skipped message=\"--check-complete not given\"/>\n  </testcase>\n");
            } else if (c[0].equals("durable") && !v.checkDurable()) {
                sb.append(">\n    <skipped message=\"--check-durable not given (durable: ")
                        .append(v.durable() ? "yes" : "no")
                        .append(")\"/>\n  </testcase>\n");
            } else if (c[1] == null) {
                sb.append("/>\n");
            } else {
                sb.append(">\n    <failure message=\"")
                        .append(xml(c[1]))
                        .append("\"/>\n  </testcase>\n");
            }
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    /** {@code read 3, write 1}. */
    private static String injectedList(Verdict v, String between) {
        StringBuilder sb = new StringBuilder();
        for (var e : v.injectedErrors().entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(between)
                    .append(e.getValue());
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append("  \"")
                .append(name)
                .append("\": ")
                .append(value == null ? "null" : value.toString())
                .append(",\n");
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return bytes + " B";
        }
        // %.3g without the formatter: its first use loads enough to cost a short run 3 % of its
        // time. Three significant digits; from 1000 on %g writes 1.00e+03, left to the formatter.
        BigDecimal three =
                new BigDecimal(Double.toString(v)).round(new MathContext(3, RoundingMode.HALF_UP));
        if (three.compareTo(BigDecimal.valueOf(1000)) >= 0) {
            return String.format(Locale.ROOT, "%.3g %s", v, units[u]);
        }
        int whole =
                three.compareTo(BigDecimal.TEN) < 0
                        ? 1
                        : three.compareTo(BigDecimal.valueOf(100)) < 0 ? 2 : 3;
        return three.setScale(3 - whole, RoundingMode.HALF_UP).toPlainString() + " " + units[u];
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "100%" : fixed(100.0 * part / whole, 2) + "%";
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)} for a finite {@code v}, without the
     * formatter: both round the shortest decimal form of {@code v} half up.
     */
    static String fixed(double v, int decimals) {
        return new BigDecimal(Double.toString(v))
                .setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
