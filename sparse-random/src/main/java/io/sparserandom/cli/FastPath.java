package io.sparserandom.cli;

import io.sparserandom.generator.DiskParams;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

    /** Each option's kind, by every name it has. */
    static final Map<String, Kind> OPTIONS = new HashMap<>();

    static {
        add(Kind.STRING, "-U", "--unix");
        add(Kind.INTEGER, "-p", "--port");
        add(Kind.STRING, "-i", "--ipaddr");
        add(Kind.FLAG, "-r", "--readonly");
        add(Kind.STRING, "-e", "--exportname");
        add(Kind.STRING, "--run");
        add(Kind.FLAG, "--self-copy");
        add(Kind.FLAG, "--check-complete");
        add(Kind.FLAG, "--check-durable");
        add(Kind.PATH, "--verdict");
        add(Kind.PATH, "--junit");
        add(Kind.FLAG, "--stats");
        add(Kind.INTEGER, "--metrics-port");
        add(Kind.FLAG, "--no-coverage");
        add(Kind.FLAG, "-v", "--verbose");
        add(Kind.LIST, "--error");
        add(Kind.LIST, "--delay");
        add(Kind.STRING, "--rate");
        add(Kind.STRING, "--block-size");
        add(Kind.STRING, "--block-size-policy");
        add(Kind.STRING, "--disconnect-after");
        add(Kind.STRING, "--corrupt-reads");
        add(Kind.STRING, "--fault-seed");
        add(Kind.FLAG, "--no-extents");
        add(Kind.FLAG, "--no-multi-conn");
        add(Kind.FLAG, "--no-zero");
        add(Kind.FLAG, "--no-fast-zero");
        add(Kind.FLAG, "--no-trim");
        add(Kind.FLAG, "--no-fua");
        add(Kind.FLAG, "--no-flush");
        add(Kind.FLAG, "--no-cache");
        add(Kind.STRING, "--tls");
        add(Kind.PATH, "--tls-certificates");
        add(Kind.INTEGER, "--max-connections");
    }

    private static void add(Kind kind, String... names) {
        for (String n : names) {
            OPTIONS.put(n, kind);
        }
    }

    /**
     * Sets option {@code name} (its longest name) to {@code v}. A switch, not a table of lambdas:
     * forty lambdas were a tenth of this class's cost at start-up.
     */
    private static void set(SparseRandomCommand c, String name, Object v) {
        FaultOptions f = c.faultOptions;
        switch (name) {
            case "-U", "--unix" -> c.unixSocket = (String) v;
            case "-p", "--port" -> c.port = (Integer) v;
            case "-i", "--ipaddr" -> c.ipaddr = (String) v;
            case "-r", "--readonly" -> c.readOnly = true;
            case "-e", "--exportname" -> c.exportName = (String) v;
            case "--run" -> c.run = (String) v;
            case "--self-copy" -> c.selfCopy = true;
            case "--check-complete" -> c.checkComplete = true;
            case "--check-durable" -> c.durability.checkDurable = true;
            case "--verdict" -> c.verdictFile = (Path) v;
            case "--junit" -> c.junitFile = (Path) v;
            case "--stats" -> c.stats = true;
            case "--metrics-port" -> c.metricsPort = (Integer) v;
            case "--no-coverage" -> c.noCoverage = true;
            case "-v", "--verbose" -> c.verbose = true;
            case "--error" -> f.errors.add((String) v);
            case "--delay" -> f.delays.add((String) v);
            case "--rate" -> f.rate = (String) v;
            case "--block-size" -> f.blockSize = (String) v;
            case "--block-size-policy" -> f.blockSizePolicy = (String) v;
            case "--disconnect-after" -> f.disconnectAfter = (String) v;
            case "--corrupt-reads" -> f.corruptReads = (String) v;
            case "--fault-seed" -> f.faultSeed = (String) v;
            case "--no-extents" -> f.noExtents = true;
            case "--no-multi-conn" -> f.noMultiConn = true;
            case "--no-zero" -> f.noZero = true;
            case "--no-fast-zero" -> f.noFastZero = true;
            case "--no-trim" -> f.noTrim = true;
            case "--no-fua" -> f.noFua = true;
            case "--no-flush" -> f.noFlush = true;
            case "--no-cache" -> f.noCache = true;
            case "--tls" -> c.tlsOptions.tls = (String) v;
            case "--tls-certificates" -> c.tlsOptions.tlsCertificates = (Path) v;
            case "--max-connections" -> c.connections.maxConnections = (Integer) v;
            default -> throw new IllegalStateException("no setter for " + name);
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
        // Options given so far, by one name each (short and long names of one option count once).
        Set<String> given = new HashSet<>();
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
            Kind kind = OPTIONS.get(name);
            if (kind == null || (kind != Kind.LIST && !given.add(canonical(name)))) {
                return null; // unknown (help, a cluster, a typo) or given twice: picocli's to judge
            }
            if (kind == Kind.FLAG) {
                if (eq >= 0) {
                    return null;
                }
                set(c, name, Boolean.TRUE);
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
            Object converted = convert(kind, value);
            if (converted == null) {
                return null;
            }
            set(c, name, converted);
        }
        return c;
    }

    /** The disk a command {@link #parse} made describes, or null when its parameters are bad. */
    static DiskParams diskParams(SparseRandomCommand c) {
        try {
            return DiskArguments.parse(c.params).params();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One name per option: its short names map to the long ones. */
    private static String canonical(String name) {
        return switch (name) {
            case "-U" -> "--unix";
            case "-p" -> "--port";
            case "-i" -> "--ipaddr";
            case "-r" -> "--readonly";
            case "-e" -> "--exportname";
            case "-v" -> "--verbose";
            default -> name;
        };
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
        try {
            return c.call();
        } catch (CommandLine.ParameterException e) {
            return null;
        } catch (Exception e) {
            System.err.println("sparse-random: error: " + e);
            return 1;
        }
    }
}
