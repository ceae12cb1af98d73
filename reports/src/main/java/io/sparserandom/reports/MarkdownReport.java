package io.sparserandom.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** report.md: the whole report as GitHub-flavoured Markdown tables. */
public final class MarkdownReport {

    /** Commands in the order people think of them; others a tool used follow. */
    static final List<String> COMMANDS =
            List.of("READ", "WRITE", "WRITE_ZEROES", "TRIM", "FLUSH", "BLOCK_STATUS", "CACHE");

    private MarkdownReport() {}

    public static String render(BenchReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# sparse-random benchmark\n\n");
        md.append("Started ")
                .append(report.started())
                .append(", finished ")
                .append(report.finished())
                .append("; ")
                .append(report.repeat())
                .append(" counted run(s) per tool after one warm-up, tools interleaved.\n\n");
        for (String note : report.notes()) {
            md.append("Note: ").append(note).append("\n\n");
        }

        md.append("## Tools\n\n");
        table(
                md,
                List.of("Tool", "Version", "Available", "Command"),
                report.tools().stream()
                        .map(
                                t ->
                                        List.of(
                                                t.name(),
                                                orDash(t.version()),
                                                t.available()
                                                        ? "yes"
                                                        : "no: " + orDash(t.unavailableReason()),
                                                orDash(t.command())))
                        .toList());

        md.append("## Disk\n\n");
        table(
                md,
                List.of("Parameter", "Value"),
                report.disk().entrySet().stream()
                        .map(e -> List.of(e.getKey(), e.getValue()))
                        .toList());

        md.append("## Machine\n\n");
        Machine m = report.machine();
        if (m != null) {
            table(
                    md,
                    List.of("OS", "Kernel", "CPU", "Cores", "Memory", "Java"),
                    List.of(
                            List.of(
                                    m.os(),
                                    m.kernel(),
                                    m.cpu(),
                                    String.valueOf(m.cores()),
                                    Format.bytes(m.memoryBytes()),
                                    m.java())));
        }

        md.append("## Results\n\n");
        md.append(
                "Wall time and throughput over successful counted runs: median, mean ± 95 % confidence interval "
                        + "(Student's t). Ratio = median wall time / the fastest passing tool's median.\n\n");
        List<List<String>> stats = new ArrayList<>();
        for (ToolStats s : report.statistics()) {
            stats.add(
                    List.of(
                            s.tool(),
                            s.passed() ? "pass" : "**FAIL**",
                            s.runs() + "",
                            s.failed() + "",
                            s.wall() == null ? "—" : Format.seconds(s.wall().median()),
                            s.wall() == null
                                    ? "—"
                                    : Format.seconds(s.wall().ci95Low())
                                            + " – "
                                            + Format.seconds(s.wall().ci95High()),
                            s.wall() == null ? "—" : Format.seconds(s.wall().stddev()),
                            s.dataBytesPerSecond() == null
                                    ? "—"
                                    : Format.rate(s.dataBytesPerSecond().median()),
                            ratio(s.ratioToFastest())));
        }
        table(
                md,
                List.of(
                        "Tool",
                        "Result",
                        "Runs",
                        "Failed",
                        "Median wall",
                        "95 % CI of mean",
                        "Std dev",
                        "Median data rate",
                        "Ratio to fastest"),
                stats);

        md.append("## Runs\n\n");
        List<List<String>> runs = new ArrayList<>();
        for (RunResult r : report.runs()) {
            runs.add(
                    List.of(
                            r.tool(),
                            r.warmup() ? "warm-up" : String.valueOf(r.run()),
                            Format.seconds(r.wallSeconds()),
                            Format.seconds(r.userCpuSeconds()),
                            Format.seconds(r.systemCpuSeconds()),
                            Format.bytes(r.peakRssBytes()),
                            Format.seconds(r.serverCpuSeconds()),
                            Format.bytes(r.dataBytes()),
                            Format.rate(r.dataBytesPerSecond()),
                            String.valueOf(r.exitStatus()),
                            r.succeeded() ? "ok" : "**" + r.failureReason() + "**"));
        }
        table(
                md,
                List.of(
                        "Tool",
                        "Run",
                        "Wall",
                        "User CPU",
                        "System CPU",
                        "Peak RSS",
                        "Server CPU",
                        "Data",
                        "Data rate",
                        "Exit",
                        "Verified"),
                runs);

        md.append("## Profiles\n\n");
        for (ToolProfile p : report.profiles().values()) {
            md.append("### ").append(cell(p.tool())).append("\n\n");
            md.append(p.connections())
                    .append(" connection(s), at most ")
                    .append(p.maxInFlight())
                    .append(" request(s) in flight, block status ")
                    .append(p.usedBlockStatus() ? "used" : "not used")
                    .append(". Read ")
                    .append(Format.bytes(p.bytesRead()))
                    .append(", written ")
                    .append(Format.bytes(p.bytesWritten()))
                    .append(", zeroed ")
                    .append(Format.bytes(p.bytesZeroed()))
                    .append(", trimmed ")
                    .append(Format.bytes(p.bytesTrimmed()))
                    .append(".\n\n");
            List<List<String>> commands = new ArrayList<>();
            for (String c : orderedCommands(p.commandCounts())) {
                commands.add(List.of(c, String.valueOf(p.commandCounts().get(c))));
            }
            table(md, List.of("Command", "Requests"), commands);
            List<List<String>> sizes = new ArrayList<>();
            for (ToolProfile.Bucket b : p.requestSizes()) {
                sizes.add(
                        List.of(
                                b.upperBytes() == Long.MAX_VALUE
                                        ? "larger"
                                        : "≤ " + Format.bytes(b.upperBytes()),
                                String.valueOf(b.count())));
            }
            table(md, List.of("Request size", "Requests"), sizes);
        }
        return md.toString();
    }

    static List<String> orderedCommands(Map<String, Long> counts) {
        List<String> names = new ArrayList<>();
        for (String c : COMMANDS) {
            if (counts.containsKey(c)) {
                names.add(c);
            }
        }
        counts.keySet().stream().filter(c -> !COMMANDS.contains(c)).sorted().forEach(names::add);
        return names;
    }

    static String ratio(Ratio r) {
        if (r == null) {
            return "—";
        }
        return Format.ratio(r.value())
                + " ("
                + Format.sig3(r.low())
                + " – "
                + Format.sig3(r.high())
                + ")";
    }

    private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        if (rows.isEmpty()) {
            md.append("_none_\n\n");
            return;
        }
        row(md, header);
        md.append('|');
        for (int i = 0; i < header.size(); i++) {
            md.append(" --- |");
        }
        md.append('\n');
        for (List<String> r : rows) {
            row(md, r);
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String c : cells) {
            md.append(' ').append(cell(c)).append(" |");
        }
        md.append('\n');
    }

    /** A table cell: no line breaks, pipes escaped (bold markers we add ourselves stay). */
    static String cell(String text) {
        return orDash(text)
                .replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("\r", " ")
                .replace("\n", " ");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "—" : s;
    }
}
