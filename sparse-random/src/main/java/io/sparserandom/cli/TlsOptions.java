package io.sparserandom.cli;

import io.sparserandom.server.TlsConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --tls} and {@code --tls-certificates}, as the main command takes them. */
public final class TlsOptions {
    @Option(
            names = "--tls",
            paramLabel = "off|on|require",
            defaultValue = "off",
            description =
                    "TLS through NBD_OPT_STARTTLS: on offers it, require refuses clients without it"
                            + " (default: ${DEFAULT-VALUE}). Needs --tls-certificates.")
    String tls;

    @Option(
            names = "--tls-certificates",
            paramLabel = "DIR",
            description =
                    "Folder with ca-cert.pem, server-cert.pem and server-key.pem (the layout of nbdkit and libnbd).")
    Path tlsCertificates;

    /** Checked and loaded now: a bad value or folder is a usage error of {@code cl}. */
    TlsConfig config(CommandLine cl) {
        return config(() -> cl);
    }

    /** The same, naming a command line only when something is wrong. */
    TlsConfig config(Supplier<CommandLine> cl) {
        TlsConfig.Mode mode =
                switch (tls.trim().toLowerCase(Locale.ROOT)) {
                    case "off", "false", "no", "0" -> TlsConfig.Mode.OFF;
                    case "on", "true", "yes", "1" -> TlsConfig.Mode.ON;
                    case "require", "required" -> TlsConfig.Mode.REQUIRE;
                    default ->
                            throw new CommandLine.ParameterException(
                                    cl.get(),
                                    "--tls: '" + tls + "' is not one of off, on, require");
                };
        if (mode == TlsConfig.Mode.OFF) {
            return TlsConfig.OFF;
        }
        if (tlsCertificates == null) {
            throw new CommandLine.ParameterException(
                    cl.get(),
                    "--tls="
                            + tls
                            + " needs --tls-certificates DIR (with ca-cert.pem, server-cert.pem, server-key.pem)");
        }
        try {
            return TlsConfig.fromDirectory(tlsCertificates, mode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl.get(), e.getMessage());
        }
    }

    Path certificates() {
        return tlsCertificates;
    }
}
