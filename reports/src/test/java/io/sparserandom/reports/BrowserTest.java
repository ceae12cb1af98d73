package io.sparserandom.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders report.html in a real headless Chromium (Debian package "chromium"). Fails when
 * -Dinterop.required=true and chromium is missing, otherwise skips.
 */
class BrowserTest {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 2000;
    private static final int BAR_BLUE = 0x3b6fd8;
    private static final int BAR_RED = 0xd9534f;
    private static final int SERIES_ORANGE = 0xe08a1e;

    @TempDir Path dir;

    private Path chromium;
    private Path html;

    @BeforeEach
    void writeReport() throws IOException {
        chromium = Interop.require("chromium");
        html = ReportWriter.writeAll(SampleReports.threeTools(), dir.resolve("out")).html();
    }

    @Test
    void screenshotShowsTheCharts() throws Exception {
        Path png = dir.resolve("report.png");
        run(
                "--screenshot=" + png,
                "--window-size=" + WIDTH + "," + HEIGHT,
                html.toUri().toString());
        assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot");
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "not a PNG ImageIO can decode");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        int blue = 0;
        int red = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                blue += near(rgb, BAR_BLUE) ? 1 : 0;
                red += near(rgb, BAR_RED) ? 1 : 0;
            }
        }
        assertTrue(colours.size() > 20, "a blank page: only " + colours.size() + " colours");
        // Bars are drawn: passing tools' bars and histograms in blue, the failed tool's bars in
        // red.
        assertTrue(blue > 5_000, "too few blue bar pixels: " + blue);
        assertTrue(red > 1_000, "too few red (failed tool) bar pixels: " + red);
    }

    @Test
    void renderedDomHasTheSvgCharts() throws Exception {
        String dom = run("--dump-dom", html.toUri().toString());
        assertEquals(4, RenderTest.svgElements(dom).size(), dom);
        assertTrue(dom.contains("id=\"wall-time\""));
        assertTrue(dom.contains("&lt;nbdkit-copy&gt;"), "escaped text stays text after parsing");
        assertTrue(dom.contains("class=\"dot\""), "runs drawn as dots");
    }

    @Test
    void sweepReportScreenshotShowsLinesBandsDotsAndOutliers() throws Exception {
        Path sweep = ReportWriter.writeAll(SampleReports.sweep(), dir.resolve("sweep")).html();
        String dom = run("--dump-dom", sweep.toUri().toString());
        List<String> svgs = RenderTest.svgElements(dom);
        assertEquals(3, svgs.size(), "wall time, throughput and one chart per swept parameter");
        assertTrue(
                svgs.get(2).contains("class=\"band\"") && svgs.get(2).contains("class=\"line\""));
        Path png = dir.resolve("sweep.png");
        run(
                "--screenshot=" + png,
                "--window-size=" + WIDTH + "," + HEIGHT,
                sweep.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "not a PNG ImageIO can decode");
        Set<Integer> colours = new HashSet<>();
        int blue = 0;
        int orange = 0;
        int red = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                blue += near(rgb, BAR_BLUE) ? 1 : 0;
                orange += near(rgb, SERIES_ORANGE) ? 1 : 0;
                red += near(rgb, BAR_RED) ? 1 : 0;
            }
        }
        assertTrue(colours.size() > 20, "a blank page: only " + colours.size() + " colours");
        assertTrue(blue > 5_000, "too few blue pixels (bars, first line): " + blue);
        // The second tool's line, its median points and run dots are orange.
        assertTrue(orange > 300, "too few orange pixels (second line): " + orange);
        // One outlier, drawn as a red ring on the wall-time chart, the throughput chart and the
        // sweep chart.
        assertTrue(red > 30, "too few red outlier-ring pixels: " + red);
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs headless chromium with a fresh profile; returns its stdout; fails on a non-zero exit or
     * a hang.
     */
    private String run(String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Programs.Result r = Programs.run(Duration.ofMinutes(2), null, command);
        assertEquals(0, r.exit(), "chromium failed: " + r.stderr());
        return r.stdout();
    }
}
