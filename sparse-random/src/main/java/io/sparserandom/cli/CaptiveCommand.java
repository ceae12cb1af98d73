package io.sparserandom.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The --run command: /bin/sh -c CMD with stdio inherited and the NBD environment variables set. */
final class CaptiveCommand {
    private final Process process;

    private CaptiveCommand(Process process) {
        this.process = process;
    }

    static CaptiveCommand start(String command, Endpoint endpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).inheritIO();
        Map<String, String> env = pb.environment();
        String uri = endpoint.uri();
        env.put("uri", uri);
        env.put("nbd", uri);
        env.put("exportname", endpoint.exportName());
        if (endpoint.tls()) {
            env.put("tls", "1");
        } else {
            env.remove("tls");
        }
        if (endpoint.isUnix()) {
            env.put("unixsocket", endpoint.socket().toString());
            env.remove("port");
        } else {
            env.put("port", Integer.toString(endpoint.port()));
            env.remove("unixsocket");
        }
        return new CaptiveCommand(pb.start());
    }

    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Ends the command and everything it started: SIGTERM, then SIGKILL after a grace period. */
    void terminate() {
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
