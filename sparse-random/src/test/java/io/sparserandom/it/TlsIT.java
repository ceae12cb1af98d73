package io.sparserandom.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --tls from the command line: nbdcopy self-copies over TLS through $uri; bad TLS options are usage errors. */
class TlsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** A CA and a localhost server certificate made by the real openssl, in nbdkit's layout. */
    private Path certificates() throws Exception {
        Interop.require("openssl");
        Path certs = Files.createDirectories(dir.resolve("pki"));
        String script = String.join("\n",
                "set -e",
                "printf 'subjectAltName=DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > ext",
                "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout ca-key.pem -out ca-cert.pem -subj '/CN=test CA'",
                "openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=localhost",
                "openssl x509 -req -in server.csr -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial -days 2"
                        + " -out server-cert.pem -extfile ext",
                "rm -f ca-key.pem server.csr ext ca-cert.srl");
        Process p = new ProcessBuilder("/bin/sh", "-c", script).directory(certs.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(dir.resolve("openssl.log")));
        return certs;
    }

    @Test
    void nbdcopySelfCopyOverTls() throws Exception {
        Interop.require("nbdcopy");
        Path certs = certificates();
        Cli.Result r = Cli.run(TIMEOUT, "1G", "seed=5", "--tls=require", "--tls-certificates", certs.toString(),
                "--check-complete", "--run", "case \"$uri\" in nbds+unix://*tls-certificates=*) ;; *) exit 9 ;; esac;"
                        + " test \"$tls\" = 1 && nbdcopy \"$uri\" \"$uri\"");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("PASS"), r.toString());
    }

    @Test
    void plainClientsAreRefusedWhenTlsIsRequired() throws Exception {
        Interop.require("nbdinfo");
        Path certs = certificates();
        Cli.Result r = Cli.run(TIMEOUT, "1G", "--tls=require", "--tls-certificates", certs.toString(),
                "--run", "nbdinfo --size \"nbd+unix:///?socket=$unixsocket\"");
        assertTrue(r.exit() != 0, r.toString());
    }

    @Test
    void badTlsOptionsAreUsageErrors() throws Exception {
        Cli.Result alone = Cli.run(TIMEOUT, "1G", "--tls=require", "--run", "true");
        assertEquals(2, alone.exit(), alone.toString());
        assertTrue(alone.stderr().contains("--tls-certificates"), alone.toString());

        Cli.Result mode = Cli.run(TIMEOUT, "1G", "--tls=maybe", "--run", "true");
        assertEquals(2, mode.exit(), mode.toString());
        assertTrue(mode.stderr().contains("off, on, require"), mode.toString());

        Cli.Result folder = Cli.run(TIMEOUT, "1G", "--tls=on", "--tls-certificates", dir.resolve("none").toString(),
                "--run", "true");
        assertEquals(2, folder.exit(), folder.toString());
        assertTrue(folder.stderr().contains("does not exist"), folder.toString());
    }
}
