package io.sparserandom.cli;

import io.sparserandom.generator.Shape;
import io.sparserandom.learn.ShapeLearner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code learn SOURCE [-o FILE] [--zeroes]}: records the allocation map of a file, block device,
 * NBD export or JSON map as a shape file, for {@code shape=FILE}. Exit 0, 1 when the source cannot
 * be read, 2 for a bad command line.
 */
@Command(
        name = "learn",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {
            "Record the allocation map (never the content) of SOURCE as a shape file, for shape=FILE.",
            "SOURCE: a file or block device (its holes, through qemu-img map), an NBD URI (block",
            "status), or a JSON map saved from 'qemu-img map --output=json' or 'nbdinfo --map --json'."
        })
public final class LearnCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "File, device, NBD URI or map.")
    String source;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description =
                    "Write the shape here (gzip-compressed when FILE ends in .gz; default stdout).")
    Path output;

    @Option(
            names = "--zeroes",
            description =
                    "Also read the data and record all-zero 4 KiB blocks as allocated zero"
                            + " (not for JSON maps).")
    boolean zeroes;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        boolean nbd = source.matches("(?i)nbds?(\\+unix)?://.*");
        Shape shape;
        try {
            if (nbd) {
                shape = ShapeLearner.fromNbd(source, zeroes);
            } else {
                Path p = Path.of(source);
                if (!Files.exists(p)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "learn: '" + source + "' is neither a file nor an NBD URI");
                }
                if (Files.isRegularFile(p) && ShapeLearner.looksLikeJson(p)) {
                    if (zeroes) {
                        throw new CommandLine.ParameterException(
                                spec.commandLine(),
                                "learn: --zeroes needs the data, and a JSON map has none");
                    }
                    shape = ShapeLearner.fromJson(p);
                } else {
                    shape = ShapeLearner.fromFile(p, zeroes);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "learn: " + e.getMessage());
        } catch (IOException e) {
            err.println("sparse-random learn: " + e.getMessage());
            return 1;
        }
        try {
            if (output == null) {
                shape.write(System.out);
                System.out.flush();
            } else {
                boolean gz = output.toString().toLowerCase(Locale.ROOT).endsWith(".gz");
                try (OutputStream out = Files.newOutputStream(output);
                        OutputStream w = gz ? new GZIPOutputStream(out) : out) {
                    shape.write(w);
                }
            }
        } catch (IOException e) {
            err.println("sparse-random learn: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
        err.printf(
                Locale.ROOT,
                "sparse-random learn: %s: size %d, %d runs, data %.2f%%, allocated zero %.2f%%%n",
                source,
                shape.size(),
                shape.runCount(),
                100.0 * shape.bytes(Shape.State.DATA) / shape.size(),
                100.0 * shape.bytes(Shape.State.ZERO) / shape.size());
        err.flush();
        return 0;
    }
}
