package io.sparserandom.runner;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A copy tool under test: a name, a shell command that uses {@code $uri} as both source and target
 * (like --run), and whether it is installed. Resolved once, before any run.
 */
public record ToolSpec(
        String name, String command, boolean available, String unavailableReason, String version) {

    public static final String BUILTIN = "builtin";

    /** The known tools, by name. */
    static String knownCommand(String name) {
        return switch (name) {
            case "nbdcopy" -> "nbdcopy \"$uri\" \"$uri\"";
            case "qemu-img" -> "qemu-img convert -n -f raw -O raw \"$uri\" \"$uri\"";
            default -> null;
        };
    }

    /**
     * The built-in copier, started as its own JVM so that its CPU and memory are its own, with the
     * options of every sparse-random JVM and the copier's own ({@link JvmOptions}).
     */
    public static ToolSpec builtin() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String command =
                quote(java)
                        + " "
                        + Stream.concat(JvmOptions.load().stream(), JvmOptions.copier().stream())
                                .map(ToolSpec::word)
                                .collect(Collectors.joining(" "))
                        + sharedArchive(cp)
                        + JvmOptions.mainClass().stream()
                                .map(w -> " " + word(w))
                                .collect(Collectors.joining())
                        + " copy \"$uri\" \"$uri\"";
        String v = ToolSpec.class.getPackage().getImplementationVersion();
        return new ToolSpec(
                BUILTIN,
                command,
                true,
                null,
                "sparse-random " + (v == null ? "(development build)" : v));
    }

    /**
     * The built-in copier's class-data archive, which bin/sparse-random trains beside the jar, when
     * there is one: loading the copier's classes from it saves a fresh JVM a large part of its
     * start-up. A stale archive is ignored by the JVM (-Xshare:auto), silently.
     */
    static String sharedArchive(String classPath) {
        // The launcher's small jar, or a class path that ends with the application's jar.
        String last = classPath.substring(classPath.lastIndexOf(File.pathSeparatorChar) + 1);
        if (!last.endsWith(".jar")) {
            return "";
        }
        Path jsa = Path.of(last).resolveSibling("sparse-random-copier.jsa");
        if (!Files.isRegularFile(jsa)) {
            return "";
        }
        return " -XX:SharedArchiveFile="
                + quote(jsa.toString())
                + " -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off";
    }

    /** {@code NAME} (a known tool) or {@code NAME=COMMAND}. */
    public static ToolSpec parse(String spec) {
        int eq = spec.indexOf('=');
        String name = (eq < 0 ? spec : spec.substring(0, eq)).trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._+-]+")) {
            throw new IllegalArgumentException(
                    "--tool: '" + spec + "': the name must be letters, digits, . _ + -");
        }
        if (eq < 0 && name.equals(BUILTIN)) {
            return builtin();
        }
        String command = eq < 0 ? knownCommand(name) : spec.substring(eq + 1).trim();
        if (command == null) {
            throw new IllegalArgumentException(
                    "--tool: '"
                            + name
                            + "' is not a known tool (known: builtin nbdcopy qemu-img);"
                            + " give NAME=COMMAND");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("--tool: '" + spec + "' has an empty command");
        }
        return resolve(name, command);
    }

    /** Checks that the command's program is installed and asks it for its version. */
    static ToolSpec resolve(String name, String command) {
        String program = command.trim().split("\\s+")[0];
        if (program.matches("[A-Za-z0-9._+-]+")) {
            Path found = onPath(program);
            if (found == null) {
                return new ToolSpec(
                        name,
                        command,
                        false,
                        program + " is not installed (not found on PATH)",
                        null);
            }
            return new ToolSpec(name, command, true, null, version(found));
        }
        if (program.startsWith("/") && !Files.isExecutable(Path.of(program))) {
            return new ToolSpec(
                    name, command, false, program + " is not installed (not executable)", null);
        }
        return new ToolSpec(name, command, true, null, null);
    }

    /**
     * The tools to run when none is named: the built-in copier always, nbdcopy and qemu-img when
     * installed.
     */
    public static List<ToolSpec> defaults() {
        return List.of(
                builtin(),
                resolve("nbdcopy", knownCommand("nbdcopy")),
                resolve("qemu-img", knownCommand("qemu-img")));
    }

    static Path onPath(String program) {
        for (String dir :
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private static String version(Path program) {
        try {
            Process p =
                    new ProcessBuilder(program.toString(), "--version")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String first = out.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? null : first;
        } catch (Exception e) {
            return null;
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code s} as one shell word: as it is when the shell would not change it, else quoted. */
    static String word(String s) {
        return s.matches("[A-Za-z0-9_./:=+,@%-]+") ? s : quote(s);
    }

    String displayName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
