package io.sparserandom.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes every report file into one directory. */
public final class ReportWriter {

    /** The paths written, in the order report.json, report.md, report.html, junit.xml. */
    public record Written(Path json, Path markdown, Path html, Path junit) {
        public java.util.List<Path> all() {
            return java.util.List.of(json, markdown, html, junit);
        }
    }

    private ReportWriter() {}

    /**
     * Creates {@code dir} if needed and (over)writes report.json, report.md, report.html and
     * junit.xml.
     */
    public static Written writeAll(BenchReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Written out =
                new Written(
                        dir.resolve("report.json"),
                        dir.resolve("report.md"),
                        dir.resolve("report.html"),
                        dir.resolve("junit.xml"));
        report.write(out.json());
        Files.writeString(out.markdown(), MarkdownReport.render(report), StandardCharsets.UTF_8);
        Files.writeString(out.html(), Html.render(report), StandardCharsets.UTF_8);
        Files.writeString(out.junit(), JunitReport.render(report), StandardCharsets.UTF_8);
        return out;
    }
}
