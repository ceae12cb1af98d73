package io.sparserandom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparse-random verdict --http URL EXPORT}: one export's verdict from a running service,
 * printed as the captive mode prints it, and its exit status, so a CI job gates in one line.
 */
@Command(
        name = "verdict",
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Fetch one export's verdict from a 'sparse-random serve' service, print it and exit with",
            "its status:",
            "",
            "  sparse-random verdict --http http://svc:8080 \"$JOB/64G,seed=1\" --check-complete",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the verdict passed",
            "1:the service could not be asked (unreachable, unknown export, bad token)",
            "2:bad command line",
            "3:a write, zero or trim was rejected",
            "4:with --check-complete: some data was never written back",
            "N:any other status the verdict gives"
        })
public final class VerdictCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--http",
            required = true,
            paramLabel = "URL",
            description = "The service's HTTP API, e.g. http://svc:8080.")
    String http;

    @Parameters(index = "0", paramLabel = "EXPORT", description = "The export name, [JOB/]PARAMS.")
    String export;

    @Option(
            names = "--check-complete",
            description = "Fail (exit 4) unless every data byte was written back and verified.")
    boolean checkComplete;

    @Option(
            names = "--check-durable",
            description = "Ask the service for its durability check too.")
    boolean checkDurable;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the verdict as JSON.")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the verdict as JUnit XML.")
    Path junit;

    @Option(
            names = "--http-token",
            paramLabel = "FILE",
            description = "Send 'Authorization: Bearer' with the token in FILE.")
    Path tokenFile;

    /** The service's answer was not a verdict; the message says why in one line. */
    private static final class NoVerdict extends Exception {
        private static final long serialVersionUID = 1L;

        NoVerdict(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        URI base;
        try {
            base = URI.create(http.endsWith("/") ? http : http + "/");
            if (base.getScheme() == null
                    || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
                    || base.getHost() == null) {
                throw new IllegalArgumentException("not an http:// URL");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--http: '" + http + "' is not an http:// URL");
        }
        String token = null;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--http-token: cannot read " + tokenFile + ": " + e.getMessage());
            }
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        try {
            String body = get(client, base, token, "json");
            JsonNode verdict = new ObjectMapper().readTree(body);
            JsonNode status = verdict.get("exit_status");
            if (status == null || !status.canConvertToInt()) {
                throw new NoVerdict(
                        "the answer has no exit_status: is " + http + " a sparse-random service?");
            }
            if (json != null) {
                Files.writeString(json, body, StandardCharsets.UTF_8);
            }
            err.println("sparse-random: export '" + export + "' at " + http);
            err.print(get(client, base, token, "text"));
            if (junit != null) {
                Files.writeString(junit, get(client, base, token, "junit"), StandardCharsets.UTF_8);
            }
            err.flush();
            return status.asInt();
        } catch (NoVerdict | IOException e) {
            err.println("sparse-random: verdict: " + e.getMessage());
            return 1;
        }
    }

    private String get(HttpClient client, URI base, String token, String format)
            throws IOException, NoVerdict, InterruptedException {
        URI uri =
                base.resolve(
                        "exports/"
                                + URLEncoder.encode(export, StandardCharsets.UTF_8)
                                        .replace("+", "%20")
                                + "/verdict?check-complete="
                                + checkComplete
                                + (checkDurable ? "&check-durable=true" : "")
                                + "&format="
                                + format);
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NoVerdict("cannot reach " + http + ": " + e);
        }
        if (r.statusCode() != 200) {
            String why = r.body();
            try {
                JsonNode error = new ObjectMapper().readTree(why).get("error");
                if (error != null) {
                    why = error.asText();
                }
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new NoVerdict("HTTP " + r.statusCode() + ": " + why.strip());
        }
        return r.body();
    }
}
