package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalTableTest {

    @Test
    void sweepTableHasAColumnPerParameterAlignedRowsAndWarnings() {
        String table = TerminalTable.render(SampleReports.sweep());
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("tool      rs    runs  failed  median"), table);
        // 2 tools × 4 points, then the outlier warning for nbdcopy at rs=1M.
        assertTrue(lines.get(3).startsWith("nbdcopy   1M    6     0       2.11 s"), table);
        assertTrue(lines.get(3).endsWith("run 4"), table);
        int column = lines.get(0).indexOf("median");
        for (String row : lines.subList(1, 9)) {
            assertEquals(' ', row.charAt(column - 1), "aligned: " + row);
        }
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l ->
                                        l.startsWith(
                                                "Warning: nbdcopy rs=1M: Statistical outliers were"
                                                        + " detected (run 4)")),
                table);
    }

    @Test
    void failedToolHasDashes() {
        String table = TerminalTable.render(SampleReports.threeTools());
        assertTrue(table.contains("qemu-img  5     1"), table);
        assertTrue(TerminalTable.anyFailed(SampleReports.threeTools()));
    }
}
