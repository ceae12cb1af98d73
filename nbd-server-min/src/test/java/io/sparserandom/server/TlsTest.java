package io.sparserandom.server;

import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NBD_OPT_STARTTLS with a certificate authority made in the test: the real nbdinfo and nbdcopy
 * over TLS, and raw sockets for what must be refused before TLS (spec, "TLS support").
 */
@Timeout(120)
@ExtendWith(LeakCheck.class)
class TlsTest {
    @TempDir
    static Path certs;
    @TempDir
    Path dir;

    @BeforeAll
    static void authority() throws Exception {
        TestCa.create(certs, false);
    }

    private TestServer server(TlsConfig.Mode mode) throws Exception {
        TlsConfig tls = TlsConfig.fromDirectory(certs, mode);
        return TestServer.start(dir, new MemoryDevice(8L << 20, Capabilities.all()), b -> b.tls(tls));
    }

    private String tlsUri(TestServer ts) {
        return "nbds+unix:///?socket=" + ts.socket + "&tls-certificates=" + certs;
    }

    private record Result(int exit, String out, String err) {}

    private Result run(String... cmd) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), Arrays.toString(cmd) + " did not finish");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void nbdinfoAndNbdcopyOverTlsWhenRequired() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        Path nbdcopy = Interop.require("nbdcopy");
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE)) {
            Result info = run(nbdinfo.toString(), "--json", tlsUri(ts));
            assertEquals(0, info.exit(), info.err());
            assertTrue(info.out().contains("\"export-size\": " + (8L << 20)), info.out());
            assertTrue(info.out().contains("\"TLS\": true") || info.out().contains("\"tls\": true")
                    || info.out().replace(" ", "").contains("\"TLS\":true"), info.out());

            Path file = dir.resolve("copy.img");
            Result copy = run(nbdcopy.toString(), tlsUri(ts), file.toString());
            assertEquals(0, copy.exit(), copy.err());
            assertArrayEquals(ts.device.copy(0, 8 << 20), Files.readAllBytes(file));

            // The same client without TLS is refused: the downgrade does not happen.
            Result plain = run(nbdinfo.toString(), "--json", ts.uri());
            assertNotEquals(0, plain.exit(), plain.out());
        }
    }

    @Test
    void requireRefusesEveryOptionButStartTlsAndAbortBeforeTls() throws Exception {
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE); RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(NbdOptionReply.ERR_TLS_REQD.wireValue(), c.optionReply().type(), "GO before TLS");
            c.option(NbdOption.INFO, RawClient.infoRequest(""));
            assertEquals(NbdOptionReply.ERR_TLS_REQD.wireValue(), c.optionReply().type(), "INFO before TLS");
            c.option(NbdOption.LIST, new byte[0]);
            assertEquals(NbdOptionReply.ERR_TLS_REQD.wireValue(), c.optionReply().type(), "LIST before TLS");
            c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertEquals(NbdOptionReply.ERR_TLS_REQD.wireValue(), c.optionReply().type(), "STRUCTURED_REPLY before TLS");
            c.option(NbdOption.STARTTLS, new byte[] {1});
            assertEquals(NbdOptionReply.ERR_INVALID.wireValue(), c.optionReply().type(), "STARTTLS with data");
            c.option(NbdOption.ABORT, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), c.optionReply().type());
        }
    }

    @Test
    void exportNameBeforeTlsDisconnectsWhenRequired() throws Exception {
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE); RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.EXPORT_NAME, new byte[0]);
            assertTrue(c.closedByServer(), "EXPORT_NAME has no error reply: the server must hang up");
        }
    }

    @Test
    void garbageInsteadOfATlsHelloClosesThatConnectionOnly() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE)) {
            try (RawClient c = ts.client()) {
                c.hello();
                c.option(NbdOption.STARTTLS, new byte[0]);
                assertEquals(NbdOptionReply.ACK.wireValue(), c.optionReply().type());
                c.write(new byte[] {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n', '\r', '\n'});
                assertTrue(c.closedByServer(), "not TLS: disconnected");
            }
            Result info = run(nbdinfo.toString(), "--size", tlsUri(ts));
            assertEquals(0, info.exit(), info.err());
            assertEquals(String.valueOf(8L << 20), info.out().trim());
        }
    }

    @Test
    void onServesPlainClientsAndTlsClients() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        try (TestServer ts = server(TlsConfig.Mode.ON)) {
            try (RawClient c = ts.client()) {
                c.hello();
                assertEquals(8L << 20, c.go("", true, true).size());
            }
            Result info = run(nbdinfo.toString(), "--size", tlsUri(ts));
            assertEquals(0, info.exit(), info.err());
            assertEquals(String.valueOf(8L << 20), info.out().trim());
        }
    }

    @Test
    void withoutTlsStartTlsIsRefusedByPolicy() throws Exception {
        try (TestServer ts = TestServer.start(dir, new MemoryDevice(8L << 20, Capabilities.all()), b -> b);
             RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.STARTTLS, new byte[0]);
            assertEquals(NbdOptionReply.ERR_POLICY.wireValue(), c.optionReply().type());
        }
    }

    @Test
    void certificateFolders(@TempDir Path other) throws Exception {
        Path pkcs1 = TestCa.create(other.resolve("pkcs1"), true);
        assertTrue(Files.readString(pkcs1.resolve("server-key.pem")).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(TlsConfig.Mode.REQUIRE, TlsConfig.fromDirectory(pkcs1, TlsConfig.Mode.REQUIRE).mode());

        Path missing = Files.createDirectories(other.resolve("missing"));
        Files.copy(certs.resolve("server-cert.pem"), missing.resolve("server-cert.pem"));
        Files.copy(certs.resolve("server-key.pem"), missing.resolve("server-key.pem"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.fromDirectory(missing, TlsConfig.Mode.ON));
        assertTrue(e.getMessage().contains("ca-cert.pem"), e.getMessage());

        Path badKey = Files.createDirectories(other.resolve("bad"));
        for (String f : List.of("ca-cert.pem", "server-cert.pem")) {
            Files.copy(certs.resolve(f), badKey.resolve(f));
        }
        Files.writeString(badKey.resolve("server-key.pem"), "not a key\n");
        e = assertThrows(IllegalArgumentException.class, () -> TlsConfig.fromDirectory(badKey, TlsConfig.Mode.ON));
        assertTrue(e.getMessage().contains("server-key.pem"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.fromDirectory(other.resolve("nowhere"), TlsConfig.Mode.ON));
    }
}
