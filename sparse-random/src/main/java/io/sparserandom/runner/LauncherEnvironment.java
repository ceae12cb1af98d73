package io.sparserandom.runner;

import java.util.Map;

/**
 * Variables the launcher (bin/sparse-random) set for the server's JVM alone: it names them in
 * {@value #NAMES}, separated by spaces, and they are taken out of the environment of every command
 * the server runs, so that a tool runs as its caller started us. (A fixed glibc mmap threshold
 * keeps the server's memory down; at 128 KiB it made nbdcopy four times slower.)
 */
final class LauncherEnvironment {
    static final String NAMES = "SPARSE_RANDOM_LAUNCHER_ENV";

    private LauncherEnvironment() {}

    /** Removes the launcher's own variables from a child process's environment. */
    static void removeFrom(Map<String, String> processEnvironment) {
        String names = processEnvironment.remove(NAMES);
        if (names == null) {
            return;
        }
        for (String name : names.trim().split("\\s+")) {
            if (!name.isEmpty()) {
                processEnvironment.remove(name);
            }
        }
    }
}
