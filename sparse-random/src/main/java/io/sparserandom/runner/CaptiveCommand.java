package io.sparserandom.runner;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The --run command: /bin/sh -c CMD with stdio inherited and the NBD environment variables set. */
public final class CaptiveCommand {
    private final Process process;

    private CaptiveCommand(Process process) {
        this.process = process;
    }

    public static CaptiveCommand start(String command, Endpoint endpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).inheritIO();
        endpoint.exportTo(pb.environment());
        return new CaptiveCommand(pb.start());
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Ends the command and everything it started: SIGTERM, then SIGKILL after a grace period. */
    public void terminate() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
