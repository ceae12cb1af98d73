package io.sparserandom.service;

import io.sparserandom.cli.DiskArguments;
import io.sparserandom.generator.DiskParams;
import java.util.Arrays;
import java.util.List;

/**
 * An export name in service mode is the disk: {@code [JOB/]PARAMS}, PARAMS being the command line's
 * disk parameters separated by commas ({@code ci-4711/64G,seed=1}). Parsed by {@link
 * DiskArguments}, so a bad name gets the message the command line prints.
 *
 * @param name the whole name, as the client gave it
 * @param job the text before the first '/', or "" without one
 * @param params the disk parameters, one per element
 * @param disk the parsed disk (a missing seed was drawn at random)
 */
public record ExportName(String name, String job, List<String> params, DiskParams disk) {

    /**
     * @throws IllegalArgumentException with a one-line message for the client
     */
    public static ExportName parse(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(
                    "no export name: in service mode the name is the disk, e.g. '1T,seed=7' or"
                            + " 'JOB/64G,seed=1'");
        }
        int slash = name.indexOf('/');
        String job = slash < 0 ? "" : name.substring(0, slash);
        String rest = name.substring(slash + 1);
        if (slash == 0) {
            throw new IllegalArgumentException("'" + name + "': the job name before '/' is empty");
        }
        if (rest.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    "'"
                            + name
                            + "': the job name ends at the first '/', and disk parameters hold"
                            + " no '/'");
        }
        List<String> params = Arrays.asList(rest.split(",", -1));
        if (params.contains("")) {
            throw new IllegalArgumentException(
                    "'" + rest + "': an empty disk parameter (two commas, or one at an end)");
        }
        DiskParams disk = DiskArguments.parse(params).params();
        if (disk.model() == DiskParams.Model.NBDKIT) {
            // Its start-up replays the whole chain (seconds per TiB, memory per run) on the
            // event loop that received the name: not something any client may ask of a service.
            throw new IllegalArgumentException(
                    "compat=nbdkit is not served in service mode (its start-up replays the whole"
                            + " disk); serve it with 'sparse-random "
                            + String.join(" ", params)
                            + "'");
        }
        return new ExportName(name, job, List.copyOf(params), disk);
    }
}
