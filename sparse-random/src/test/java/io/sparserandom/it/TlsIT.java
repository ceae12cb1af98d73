package io.sparserandom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs.Result;
import io.sparserandom.testsupport.TestCa;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --tls from the command line: nbdcopy self-copies over TLS through $uri; bad TLS options are usage
 * errors.
 */
class TlsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path dir;

    /** A CA and a localhost server certificate made by the real openssl, in nbdkit's layout. */
    private Path certificates() throws Exception {
        return TestCa.create(dir.resolve("pki"), false);
    }

    @Test
    void nbdcopySelfCopyOverTls() throws Exception {
        Interop.require("nbdcopy");
        Path certs = certificates();
        Result r =
                Cli.run(
                        TIMEOUT,
                        "1G",
                        "seed=5",
                        "--tls=require",
                        "--tls-certificates",
                        certs.toString(),
                        "--check-complete",
                        "--run",
                        "case \"$uri\" in nbds+unix://*tls-certificates=*) ;; *) exit 9 ;; esac;"
                                + " test \"$tls\" = 1 && nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("PASS"), r.toString());
    }

    @Test
    void plainClientsAreRefusedWhenTlsIsRequired() throws Exception {
        Interop.require("nbdinfo");
        Path certs = certificates();
        Result r =
                Cli.run(
                        TIMEOUT,
                        "1G",
                        "--tls=require",
                        "--tls-certificates",
                        certs.toString(),
                        "--run",
                        "nbdinfo --size \"nbd+unix:///?socket=$unixsocket\"");
        assertTrue(r.exit() != 0, r.toString());
    }

    @Test
    void badTlsOptionsAreUsageErrors() throws Exception {
        Result alone = Cli.run(TIMEOUT, "1G", "--tls=require", "--run", "true");
        assertEquals(2, alone.exit(), alone.toString());
        assertTrue(alone.stderr().contains("--tls-certificates"), alone.toString());

        Result mode = Cli.run(TIMEOUT, "1G", "--tls=maybe", "--run", "true");
        assertEquals(2, mode.exit(), mode.toString());
        assertTrue(mode.stderr().contains("off, on, require"), mode.toString());

        Result folder =
                Cli.run(
                        TIMEOUT,
                        "1G",
                        "--tls=on",
                        "--tls-certificates",
                        dir.resolve("none").toString(),
                        "--run",
                        "true");
        assertEquals(2, folder.exit(), folder.toString());
        assertTrue(folder.stderr().contains("does not exist"), folder.toString());
    }
}
