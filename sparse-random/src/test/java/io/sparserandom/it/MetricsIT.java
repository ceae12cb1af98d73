package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** --stats and --metrics-port show what a real copy tool did. */
class MetricsIT {
    @Test
    void statsAndPrometheusShowTheToolsRequests() throws Exception {
        Interop.require("nbdcopy");
        Interop.require(Interop.PYTHON);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String scrape =
                Interop.PYTHON
                        + " -c \"import urllib.request; print(urllib.request.urlopen("
                        + "'http://127.0.0.1:"
                        + port
                        + "/metrics').read().decode())\"";
        Result r =
                Cli.run(
                        Duration.ofMinutes(2),
                        "2G",
                        "seed=1",
                        "--stats",
                        "--metrics-port",
                        Integer.toString(port),
                        "--run",
                        "nbdcopy \"$uri\" \"$uri\" && " + scrape);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("nbd_requests_total{command=\"READ\"}"), r.stdout());
        assertTrue(r.stdout().contains("nbd_requests_total{command=\"BLOCK_STATUS\"}"), r.stdout());
        assertTrue(r.stdout().contains("nbd_request_size_bytes_bucket"), r.stdout());
        assertTrue(r.stderr().contains("sparse-random stats:"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*connections opened: [1-9].*"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*WRITE +[1-9]\\d* requests.*"), r.stderr());
    }
}
