package io.sparserandom.gate;

import io.sparserandom.gate.Scenario.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in scenarios. Rates are chosen so that an 8G disk (the default) sees tens of failures
 * of each kind, enough to catch a tool that drops one; flush uses 100% because every flush is the
 * same request to the fault hash, so any lower rate fails all flushes or none.
 */
public final class Catalogue {
    private static final List<Scenario> BUILT_IN =
            List.of(
                    benign("baseline", "", "no fault: the copy must simply work"),
                    benign("latency", "--delay all:1ms", "every request waits 1 ms"),
                    benign("rate-limit", "--rate 200M", "200 MB/s of data over all connections"),
                    benign(
                            "no-extents",
                            "--no-extents",
                            "no base:allocation (the tool must read holes)"),
                    benign("no-multi-conn", "--no-multi-conn", "no NBD_FLAG_CAN_MULTI_CONN"),
                    benign("no-zero", "--no-zero", "no WRITE_ZEROES (holes must be written)"),
                    benign("no-trim", "--no-trim", "no TRIM"),
                    benign(
                            "max-block-64k",
                            "--block-size 1:4K:64K",
                            "maximum request 64 KiB, larger ones answered EINVAL"),
                    benign(
                            "min-block-4k",
                            "--block-size 4K:4K:32M",
                            "minimum block 4 KiB, unaligned requests answered EINVAL"),
                    benign("tcp", "-p 0", "TCP on 127.0.0.1 instead of a unix socket"),
                    hostile("read-eio", "--error read:1%", "1% of reads fail with EIO"),
                    hostile(
                            "read-eio-once",
                            "--error read:1%:EIO:once",
                            "1% of reads fail with EIO; a retry succeeds"),
                    hostile("write-eio", "--error write:1%", "1% of writes fail with EIO"),
                    hostile("zero-eio", "--error zero:10%", "10% of WRITE_ZEROES fail with EIO"),
                    hostile("flush-eio", "--error flush:100%", "every FLUSH fails with EIO"),
                    hostile(
                            "write-enospc",
                            "--error write:1%:ENOSPC",
                            "1% of writes fail with ENOSPC"),
                    hostile(
                            "disconnect",
                            "--disconnect-after 256M",
                            "every connection dropped once after 256 MiB of data"),
                    hostile(
                            "corrupt-reads",
                            "--corrupt-reads 0.1%",
                            "0.1% of data blocks read with one bit flipped"));

    private Catalogue() {}

    private static Scenario benign(String name, String options, String description) {
        return new Scenario(name, options, Kind.BENIGN, description);
    }

    private static Scenario hostile(String name, String options, String description) {
        return new Scenario(name, options, Kind.HOSTILE, description);
    }

    public static List<Scenario> builtIn() {
        return BUILT_IN;
    }

    /**
     * The built-in scenarios and the added ones (a name already taken is an error), narrowed to
     * {@code selected} when that is not empty, in the order given there.
     */
    public static List<Scenario> resolve(List<Scenario> added, List<String> selected) {
        Map<String, Scenario> byName = new LinkedHashMap<>();
        for (Scenario s : BUILT_IN) {
            byName.put(s.name(), s);
        }
        for (Scenario s : added) {
            if (byName.putIfAbsent(s.name(), s) != null) {
                throw new IllegalArgumentException(
                        "--add: a scenario named '" + s.name() + "' already exists");
            }
        }
        if (selected.isEmpty()) {
            return List.copyOf(byName.values());
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : selected) {
            Scenario s = byName.get(name.trim());
            if (s == null) {
                throw new IllegalArgumentException(
                        "--scenario: '"
                                + name
                                + "' is not a scenario (see --list; known: "
                                + String.join(" ", byName.keySet())
                                + ")");
            }
            if (chosen.contains(s)) {
                throw new IllegalArgumentException("--scenario: '" + name + "' given twice");
            }
            chosen.add(s);
        }
        return List.copyOf(chosen);
    }
}
