package io.sparserandom.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away certificate authority and a server certificate for localhost, made with the real
 * openssl in the folder layout nbdkit and libnbd use (ca-cert.pem, server-cert.pem,
 * server-key.pem). The test fails, or is skipped off CI, when openssl is missing.
 */
public final class TestCa {
    private TestCa() {}

    /** Makes the folder; {@code pkcs1} writes the server key as "BEGIN RSA PRIVATE KEY". */
    public static Path create(Path dir, boolean pkcs1) throws Exception {
        Path openssl = Interop.require("openssl");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("server.ext"),
                """
                subjectAltName=DNS:localhost,IP:127.0.0.1
                basicConstraints=CA:FALSE
                keyUsage=digitalSignature,keyEncipherment
                extendedKeyUsage=serverAuth
                """);
        run(
                dir,
                openssl.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                "ca-key.pem",
                "-out",
                "ca-cert.pem",
                "-subj",
                "/CN=sparse-random test CA");
        run(
                dir,
                openssl.toString(),
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server-key.pem",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost");
        run(
                dir,
                openssl.toString(),
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca-cert.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                "server-cert.pem",
                "-extfile",
                "server.ext");
        if (pkcs1) {
            run(
                    dir,
                    openssl.toString(),
                    "rsa",
                    "-in",
                    "server-key.pem",
                    "-traditional",
                    "-out",
                    "server-key.pem");
        }
        for (String f : List.of("ca-key.pem", "server.csr", "server.ext", "ca-cert.srl")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        return dir;
    }

    private static void run(Path dir, String... cmd) throws IOException {
        Programs.Result r = Programs.run(Duration.ofSeconds(60), dir, List.of(cmd));
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r);
        }
    }
}
