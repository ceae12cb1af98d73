package io.sparserandom.copy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroRunsTest {
    static String str(List<long[]> runs) {
        StringBuilder b = new StringBuilder();
        for (long[] r : runs) {
            b.append('[').append(r[0]).append(',').append(r[1]).append(')');
        }
        return b.toString();
    }

    @Test
    void adjacentRunsMergeInAnyOrder() {
        ZeroRuns z = new ZeroRuns();
        z.add(30, 40);
        z.add(10, 20);
        z.add(50, 60);
        assertEquals("[10,20)[30,40)[50,60)", str(z.runs()));
        z.add(20, 30);
        assertEquals("[10,40)[50,60)", str(z.runs()));
        z.add(40, 50);
        assertEquals("[10,60)", str(z.runs()));
        z.add(0, 5);
        z.add(60, 70);
        assertEquals("[0,5)[10,70)", str(z.runs()));
    }
}
