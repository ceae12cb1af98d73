package io.sparserandom.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * What the gate needs from a scenario's verdict JSON ({@code --verdict FILE} of the main command).
 * Fields added by later versions (durability, injected errors) are null when absent, so the gate
 * reads any verdict the main command writes.
 *
 * @param toolStatus the tool's exit status
 * @param complete every data byte written back and verified
 * @param missingBytes data bytes never written
 * @param missingRanges separate missing ranges
 * @param firstMissing offset of the first missing range, or -1
 * @param rejected rejected writes, zeroes and trims
 * @param firstRejected the first rejected request's first wrong byte, or -1
 * @param firstRejectedCommand its command, or null
 * @param durable whether every accepted write was made durable, or null if not reported
 * @param undurableBytes bytes never made durable, or null
 * @param injectedErrors errors injected by the fault options, or null if not reported
 */
public record VerdictFacts(
        int toolStatus,
        boolean complete,
        long missingBytes,
        long missingRanges,
        long firstMissing,
        long rejected,
        long firstRejected,
        String firstRejectedCommand,
        Boolean durable,
        Long undurableBytes,
        Long injectedErrors) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static VerdictFacts read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static VerdictFacts parse(String json) throws IOException {
        JsonNode v = MAPPER.readTree(json);
        if (v == null || !v.isObject() || !v.path("tool_exit_status").isInt()) {
            throw new IOException("not a verdict of a --run: no tool_exit_status");
        }
        JsonNode missing = v.path("missing_ranges").path(0);
        JsonNode rejected = v.path("rejected").path(0);
        return new VerdictFacts(
                v.path("tool_exit_status").asInt(),
                v.path("complete").asBoolean(false),
                v.path("data_bytes_missing").asLong(0),
                v.path("missing_ranges_count").asLong(0),
                missing.isMissingNode() ? -1 : missing.path("offset").asLong(-1),
                v.path("rejected_count").asLong(0),
                rejected.isMissingNode() ? -1 : rejected.path("offset").asLong(-1),
                rejected.isMissingNode() ? null : rejected.path("command").asText(null),
                v.path("durable").isBoolean() ? v.path("durable").asBoolean() : null,
                v.path("undurable_bytes").isNumber() ? v.path("undurable_bytes").asLong() : null,
                injected(v.path("injected_errors")));
    }

    /** These facts without the injected-error count (for scenarios that inject no errors). */
    public VerdictFacts withoutInjectedErrors() {
        return new VerdictFacts(
                toolStatus,
                complete,
                missingBytes,
                missingRanges,
                firstMissing,
                rejected,
                firstRejected,
                firstRejectedCommand,
                durable,
                undurableBytes,
                null);
    }

    /** {@code injected_errors} as a number, or the sum of a per-command object. */
    private static Long injected(JsonNode node) {
        if (node.isNumber()) {
            return node.asLong();
        }
        if (!node.isObject()) {
            return null;
        }
        long sum = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (n.isNumber()) {
                sum += n.asLong();
            }
        }
        return sum;
    }
}
