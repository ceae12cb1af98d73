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
        md.append(Cells.METHOD).append("\n\n");
        List<ToolStats> statistics = report.statistics();
        List<List<String>> stats = new ArrayList<>();
        for (ToolStats s : statistics) {
            List<String> row = new ArrayList<>(Cells.row(report, s));
            int result = 1 + report.parameters().size();
            if (!s.passed()) {
                row.set(result, "**FAIL**");
            }
            stats.add(row);
        }
        table(md, Cells.header(report), stats);
        for (String w : Cells.warnings(statistics)) {
            md.append("- Warning: ").append(cell(w)).append('\n');
        }
        if (!Cells.warnings(statistics).isEmpty()) {
            md.append('\n');
        }

        md.append("## Runs\n\n");
        List<List<String>> runs = new ArrayList<>();
        for (RunResult r : report.runs()) {
            List<String> cells = new ArrayList<>();
            cells.add(r.tool());
            for (String p : report.parameters().keySet()) {
                cells.add(r.parameters().getOrDefault(p, "—"));
            }
            cells.add(
                    r.warmup()
                            ? "warm-up"
                            : r.run() + (Cells.isOutlier(statistics, r) ? " (outlier)" : ""));
            cells.addAll(
                    List.of(
                            Format.seconds(r.wallSeconds()),
                            Format.seconds(r.userCpuSeconds()),
                            Format.seconds(r.systemCpuSeconds()),
                            Format.bytes(r.peakRssBytes()),
                            Format.seconds(r.serverCpuSeconds()),
                            Format.bytes(r.dataBytes()),
                            Format.rate(r.dataBytesPerSecond()),
                            String.valueOf(r.exitStatus()),
                            r.succeeded() ? "ok" : "**" + r.failureReason() + "**"));
            runs.add(cells);
        }
        List<String> runHeader = new ArrayList<>();
        runHeader.add("Tool");
        runHeader.addAll(report.parameters().keySet());
        runHeader.add("Run");
        runHeader.addAll(
                List.of(
                        "Wall",
                        "User CPU",
                        "System CPU",
                        "Peak RSS",
                        "Server CPU",
                        "Data",
                        "Data rate",
                        "Exit",
                        "Verified"));
        table(md, runHeader, runs);

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
