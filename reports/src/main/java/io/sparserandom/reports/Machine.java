package io.sparserandom.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on.
 *
 * @param os operating system name (e.g. "Linux")
 * @param kernel kernel release (e.g. "6.1.0-18-amd64")
 * @param cpu CPU model name, or "unknown"
 * @param cores processors available to the JVM
 * @param memoryBytes total physical memory, or 0 if unknown
 * @param java Java runtime version and vendor
 */
public record Machine(
        String os, String kernel, String cpu, int cores, long memoryBytes, String java) {

    /** Describes this machine from system properties and, on Linux, /proc. Never throws. */
    public static Machine detect() {
        String os = System.getProperty("os.name", "unknown");
        String kernel = firstLine(Path.of("/proc/sys/kernel/osrelease"));
        if (kernel == null) {
            kernel = System.getProperty("os.version", "unknown");
        }
        String cpu = procField(Path.of("/proc/cpuinfo"), "model name");
        if (cpu == null) {
            cpu = System.getProperty("os.arch", "unknown");
        }
        long memory = 0;
        String memTotal = procField(Path.of("/proc/meminfo"), "MemTotal");
        if (memTotal != null) {
            // "16318480 kB": /proc/meminfo's kB are KiB.
            String digits = memTotal.replaceAll("[^0-9]", "");
            if (!digits.isEmpty()) {
                memory = Long.parseLong(digits) * 1024;
            }
        }
        String java =
                System.getProperty("java.version", "unknown")
                        + " ("
                        + System.getProperty("java.vendor", "unknown")
                        + ")";
        return new Machine(
                os, kernel, cpu, Runtime.getRuntime().availableProcessors(), memory, java);
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The value of the first "key : value" line with this key, or null. */
    static String procField(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc not readable: the caller falls back.
        }
        return null;
    }
}
