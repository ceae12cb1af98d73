package io.sparserandom.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import picocli.CommandLine;

/**
 * The main command's plain command lines (a disk, options written out in full, {@code --run CMD})
 * read without picocli's model: building it by reflection took 80-120 ms of a 0.32 s run, most of
 * it the JDK parsing annotations and generating a class per annotation type (docs/performance.md,
 * "Start-up, fourth pass"). picocli stays the authority: anything this does not take (help, an
 * option it does not know, a short-option cluster, a value it would convert differently, a repeated
 * option, a usage error found later) goes to picocli as before. {@code FastPathTest} checks that
 * every line taken here leaves the command as picocli leaves it, and that this table names every
 * option of picocli's model.
 */
final class FastPath {
    enum Kind {
        FLAG,
        STRING,
        INTEGER,
        PATH,
        LIST
    }

    record Opt(Kind kind, BiConsumer<SparseRandomCommand, Object> set) {}

    static final Map<String, Opt> OPTIONS = new HashMap<>();

    static {
        add(Kind.STRING, (c, v) -> c.unixSocket = (String) v, "-U", "--unix");
        add(Kind.INTEGER, (c, v) -> c.port = (Integer) v, "-p", "--port");
        add(Kind.STRING, (c, v) -> c.ipaddr = (String) v, "-i", "--ipaddr");
        add(Kind.FLAG, (c, v) -> c.readOnly = true, "-r", "--readonly");
        add(Kind.STRING, (c, v) -> c.exportName = (String) v, "-e", "--exportname");
        add(Kind.STRING, (c, v) -> c.run = (String) v, "--run");
        add(Kind.FLAG, (c, v) -> c.selfCopy = true, "--self-copy");
        add(Kind.FLAG, (c, v) -> c.checkComplete = true, "--check-complete");
        add(Kind.FLAG, (c, v) -> c.durability.checkDurable = true, "--check-durable");
        add(Kind.PATH, (c, v) -> c.verdictFile = (Path) v, "--verdict");
        add(Kind.PATH, (c, v) -> c.junitFile = (Path) v, "--junit");
        add(Kind.FLAG, (c, v) -> c.stats = true, "--stats");
        add(Kind.INTEGER, (c, v) -> c.metricsPort = (Integer) v, "--metrics-port");
        add(Kind.FLAG, (c, v) -> c.noCoverage = true, "--no-coverage");
        add(Kind.FLAG, (c, v) -> c.verbose = true, "-v", "--verbose");
        add(Kind.LIST, (c, v) -> c.faultOptions.errors.add((String) v), "--error");
        add(Kind.LIST, (c, v) -> c.faultOptions.delays.add((String) v), "--delay");
        add(Kind.STRING, (c, v) -> c.faultOptions.rate = (String) v, "--rate");
        add(Kind.STRING, (c, v) -> c.faultOptions.blockSize = (String) v, "--block-size");
        add(
                Kind.STRING,
                (c, v) -> c.faultOptions.blockSizePolicy = (String) v,
                "--block-size-policy");
        add(
                Kind.STRING,
                (c, v) -> c.faultOptions.disconnectAfter = (String) v,
                "--disconnect-after");
        add(Kind.STRING, (c, v) -> c.faultOptions.corruptReads = (String) v, "--corrupt-reads");
        add(Kind.STRING, (c, v) -> c.faultOptions.faultSeed = (String) v, "--fault-seed");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noExtents = true, "--no-extents");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noMultiConn = true, "--no-multi-conn");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noZero = true, "--no-zero");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noFastZero = true, "--no-fast-zero");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noTrim = true, "--no-trim");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noFua = true, "--no-fua");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noFlush = true, "--no-flush");
        add(Kind.FLAG, (c, v) -> c.faultOptions.noCache = true, "--no-cache");
        add(Kind.STRING, (c, v) -> c.tlsOptions.tls = (String) v, "--tls");
        add(Kind.PATH, (c, v) -> c.tlsOptions.tlsCertificates = (Path) v, "--tls-certificates");
        add(
                Kind.INTEGER,
                (c, v) -> c.connections.maxConnections = (Integer) v,
                "--max-connections");
    }

    private static void add(
            Kind kind, BiConsumer<SparseRandomCommand, Object> set, String... names) {
        Opt o = new Opt(kind, set);
        for (String n : names) {
            OPTIONS.put(n, o);
        }
    }

    private FastPath() {}

    /**
     * The main command with these arguments applied, as picocli would apply them, or null when
     * picocli must read them.
     */
    static SparseRandomCommand parse(String[] args) {
        SparseRandomCommand c = new SparseRandomCommand();
        // What picocli sets before it parses: the mixin it creates, the annotated defaults.
        c.durability = new DurabilityOptions();
        c.ipaddr = "127.0.0.1";
        c.exportName = "";
        c.tlsOptions.tls = "off";
        Set<Opt> given = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-")) {
                if (!optionsEnded && (Main.isSubcommand(a) || a.startsWith("@"))) {
                    return null;
                }
                c.params.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String name = eq < 0 ? a : a.substring(0, eq);
            Opt o = OPTIONS.get(name);
            if (o == null || (o.kind() != Kind.LIST && !given.add(o))) {
                return null; // unknown (help, a cluster, a typo) or given twice: picocli's to judge
            }
            if (o.kind() == Kind.FLAG) {
                if (eq >= 0) {
                    return null;
                }
                o.set().accept(c, Boolean.TRUE);
                continue;
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            // A value that looks like an option, or that picocli might convert otherwise.
            if ((value.startsWith("-") && !value.equals("-")) || OPTIONS.containsKey(value)) {
                return null;
            }
            Object converted = convert(o.kind(), value);
            if (converted == null) {
                return null;
            }
            o.set().accept(c, converted);
        }
        return c;
    }

    private static Object convert(Kind kind, String value) {
        switch (kind) {
            case INTEGER:
                // Plain decimal only, where every integer reading agrees.
                if (value.isEmpty()
                        || value.length() > 9
                        || (value.length() > 1 && value.charAt(0) == '0')) {
                    return null;
                }
                for (int k = 0; k < value.length(); k++) {
                    if (value.charAt(k) < '0' || value.charAt(k) > '9') {
                        return null;
                    }
                }
                return Integer.parseInt(value);
            case PATH:
                try {
                    return Path.of(value);
                } catch (RuntimeException e) {
                    return null;
                }
            default:
                return value;
        }
    }

    /**
     * Runs a command {@link #parse} made: its status, or null when it met a usage error, which
     * picocli then finds again and reports as always (every check comes before the command does
     * anything).
     */
    static Integer execute(SparseRandomCommand c) {
        // Where the command reports and what its usage errors name: a model with no members, which
        // costs no reflection.
        CommandLine.Model.CommandSpec bare = CommandLine.Model.CommandSpec.create();
        CommandLine cl = new CommandLine(bare);
        c.spec = bare;
        c.connections.mixee = bare;
        try {
            return c.call();
        } catch (CommandLine.ParameterException e) {
            return null;
        } catch (Exception e) {
            cl.getErr().println("sparse-random: error: " + e);
            return 1;
        }
    }
}
