package io.sparserandom.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherEnvironmentTest {
    @Test
    void theLaunchersOwnVariablesDoNotReachATool() {
        Map<String, String> env = new HashMap<>();
        env.put("MALLOC_MMAP_THRESHOLD_", "4194304");
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("PATH", "/usr/bin");
        env.put(LauncherEnvironment.NAMES, " MALLOC_MMAP_THRESHOLD_  ");
        LauncherEnvironment.removeFrom(env);
        assertEquals(Map.of("MALLOC_ARENA_MAX", "2", "PATH", "/usr/bin"), env);
    }

    @Test
    void aVariableTheCallerSetStays() {
        // The launcher names only what it set itself: a caller's own threshold is not named.
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_MMAP_THRESHOLD_", "65536"));
        LauncherEnvironment.removeFrom(env);
        assertEquals(Map.of("MALLOC_MMAP_THRESHOLD_", "65536"), env);
    }

    @Test
    void theEndpointsEnvironmentIsExportedWithoutThem() {
        Map<String, String> env = new HashMap<>();
        env.put("MALLOC_MMAP_THRESHOLD_", "4194304");
        env.put(LauncherEnvironment.NAMES, "MALLOC_MMAP_THRESHOLD_");
        Endpoint.tcp("127.0.0.1", 10809, "").exportTo(env);
        assertEquals(null, env.get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals(null, env.get(LauncherEnvironment.NAMES));
        assertEquals("nbd://127.0.0.1:10809/", env.get("uri"));
    }
}
