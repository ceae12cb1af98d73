package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.Capabilities;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.testsupport.Interop;
import io.sparserandom.testsupport.Programs;
import io.sparserandom.testsupport.Programs.Result;
import io.sparserandom.testsupport.RawClient;
import io.sparserandom.testsupport.TestCa;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * NBD_OPT_STARTTLS with a certificate authority made in the test: the real nbdinfo and nbdcopy over
 * TLS, and raw sockets for what must be refused before TLS (spec, "TLS support").
 */
@Timeout(120)
@ExtendWith(LeakCheck.class)
class TlsTest {
    @TempDir static Path certs;
    @TempDir Path dir;

    @BeforeAll
    static void authority() throws Exception {
        TestCa.create(certs, false);
    }

    private TestServer server(TlsConfig.Mode mode) throws Exception {
        TlsConfig tls = TlsConfig.fromDirectory(certs, mode);
        return TestServer.start(
                dir, new MemoryDevice(8L << 20, Capabilities.all()), b -> b.tls(tls));
    }

    private String tlsUri(TestServer ts) {
        return "nbds+unix:///?socket=" + ts.socket + "&tls-certificates=" + certs;
    }

    /** The real nbdinfo reads the 8 MiB test export's size over TLS. */
    private void assertNbdinfoSizeOverTls(Path nbdinfo, TestServer ts) throws Exception {
        Result info = run(nbdinfo.toString(), "--size", tlsUri(ts));
        assertEquals(0, info.exit(), info.stderr());
        assertEquals(String.valueOf(8L << 20), info.stdout().trim());
    }

    private static Result run(String... cmd) throws Exception {
        return Programs.run(Duration.ofSeconds(90), cmd);
    }

    @Test
    void nbdinfoAndNbdcopyOverTlsWhenRequired() throws Exception {
        Path nbdinfo = Interop.require("nbdinfo");
        Path nbdcopy = Interop.require("nbdcopy");
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE)) {
            Result info = run(nbdinfo.toString(), "--json", tlsUri(ts));
            assertEquals(0, info.exit(), info.stderr());
            assertTrue(info.stdout().contains("\"export-size\": " + (8L << 20)), info.stdout());
            assertTrue(
                    info.stdout().contains("\"TLS\": true")
                            || info.stdout().contains("\"tls\": true")
                            || info.stdout().replace(" ", "").contains("\"TLS\":true"),
                    info.stdout());

            Path file = dir.resolve("copy.img");
            Result copy = run(nbdcopy.toString(), tlsUri(ts), file.toString());
            assertEquals(0, copy.exit(), copy.stderr());
            assertArrayEquals(ts.device.copy(0, 8 << 20), Files.readAllBytes(file));

            // The same client without TLS is refused: the downgrade does not happen.
            Result plain = run(nbdinfo.toString(), "--json", ts.uri());
            assertNotEquals(0, plain.exit(), plain.stdout());
        }
    }

    @Test
    void requireRefusesEveryOptionButStartTlsAndAbortBeforeTls() throws Exception {
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE);
                RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.GO, RawClient.infoRequest(""));
            assertEquals(
                    NbdOptionReply.ERR_TLS_REQD.wireValue(),
                    c.optionReply().type(),
                    "GO before TLS");
            c.option(NbdOption.INFO, RawClient.infoRequest(""));
            assertEquals(
                    NbdOptionReply.ERR_TLS_REQD.wireValue(),
                    c.optionReply().type(),
                    "INFO before TLS");
            c.option(NbdOption.LIST, new byte[0]);
            assertEquals(
                    NbdOptionReply.ERR_TLS_REQD.wireValue(),
                    c.optionReply().type(),
                    "LIST before TLS");
            c.option(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertEquals(
                    NbdOptionReply.ERR_TLS_REQD.wireValue(),
                    c.optionReply().type(),
                    "STRUCTURED_REPLY before TLS");
            c.option(NbdOption.EXTENDED_HEADERS, new byte[0]);
            assertEquals(
                    NbdOptionReply.ERR_TLS_REQD.wireValue(),
                    c.optionReply().type(),
                    "EXTENDED_HEADERS before TLS");
            c.option(NbdOption.STARTTLS, new byte[] {1});
            assertEquals(
                    NbdOptionReply.ERR_INVALID.wireValue(),
                    c.optionReply().type(),
                    "STARTTLS with data");
            c.option(NbdOption.ABORT, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), c.optionReply().type());
        }
    }

    @Test
    void exportNameBeforeTlsDisconnectsWhenRequired() throws Exception {
        try (TestServer ts = server(TlsConfig.Mode.REQUIRE);
                RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.EXPORT_NAME, new byte[0]);
            assertTrue(
                    c.closedByServer(), "EXPORT_NAME has no error reply: the server must hang up");
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
                c.write(
                        new byte[] {
                            'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1',
                            '\r', '\n', '\r', '\n'
                        });
                assertTrue(c.closedByServer(), "not TLS: disconnected");
            }
            assertNbdinfoSizeOverTls(nbdinfo, ts);
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
            assertNbdinfoSizeOverTls(nbdinfo, ts);
        }
    }

    @Test
    void withoutTlsStartTlsIsRefusedByPolicy() throws Exception {
        try (TestServer ts =
                        TestServer.start(
                                dir, new MemoryDevice(8L << 20, Capabilities.all()), b -> b);
                RawClient c = ts.client()) {
            c.hello();
            c.option(NbdOption.STARTTLS, new byte[0]);
            assertEquals(NbdOptionReply.ERR_POLICY.wireValue(), c.optionReply().type());
        }
    }

    @Test
    void bytesPipelinedAfterStartTlsDisconnect() throws Exception {
        try (TestServer ts = server(TlsConfig.Mode.ON);
                RawClient c = ts.client()) {
            c.hello();
            // STARTTLS and a plain GO in one write: the GO must never be taken in clear.
            byte[] go = RawClient.infoRequest("");
            ByteBuffer b = ByteBuffer.allocate(16 + 16 + go.length);
            b.putLong(NbdMagic.IHAVEOPT).putInt(NbdOption.STARTTLS.wireValue()).putInt(0);
            b.putLong(NbdMagic.IHAVEOPT)
                    .putInt(NbdOption.GO.wireValue())
                    .putInt(go.length)
                    .put(go)
                    .flip();
            c.write(b);
            assertTrue(
                    c.closedByServer(), "no reply to either option: the stream cannot be trusted");
        }
    }

    /**
     * A JSSE client over TCP: STARTTLS, then a second STARTTLS inside TLS, then GO, all encrypted.
     */
    @Test
    void secondStartTlsIsInvalidAndGoWorksEncrypted() throws Exception {
        MemoryDevice device = new MemoryDevice(8L << 20, Capabilities.all());
        NbdServer server =
                NbdServer.builder()
                        .device("", null, c -> device)
                        .tcp("127.0.0.1", 0)
                        .eventLoopThreads(1)
                        .tls(TlsConfig.fromDirectory(certs, TlsConfig.Mode.REQUIRE))
                        .build()
                        .start();
        try (server;
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            assertEquals(NbdMagic.NBDMAGIC, in.readLong());
            assertEquals(NbdMagic.IHAVEOPT, in.readLong());
            in.readShort();
            out.writeInt(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE | NbdMagic.CLIENT_FLAG_NO_ZEROES);
            option(out, NbdOption.STARTTLS, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), replyType(in));

            SSLSocket tls =
                    (SSLSocket)
                            clientContext()
                                    .getSocketFactory()
                                    .createSocket(s, "localhost", server.port(), false);
            tls.setUseClientMode(true);
            tls.startHandshake();
            String protocol = tls.getSession().getProtocol();
            assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
            DataInputStream tin = new DataInputStream(tls.getInputStream());
            DataOutputStream tout = new DataOutputStream(tls.getOutputStream());
            option(tout, NbdOption.STARTTLS, new byte[0]);
            assertEquals(
                    NbdOptionReply.ERR_INVALID.wireValue(), replyType(tin), "STARTTLS inside TLS");
            option(tout, NbdOption.GO, RawClient.infoRequest(""));
            int type;
            while ((type = replyType(tin)) != NbdOptionReply.ACK.wireValue()) {
                assertEquals(NbdOptionReply.INFO.wireValue(), type);
            }
            tls.close();
        }
    }

    /**
     * NBD_OPT_STARTTLS: "the server MUST NOT preserve any negotiation state (such as a request for
     * NBD_OPT_STRUCTURED_REPLY or NBD_OPT_EXTENDED_HEADERS ...) issued before this command":
     * extended headers asked for in clear are gone inside TLS, and requests there are compact.
     */
    @Test
    void startTlsForgetsExtendedHeaders() throws Exception {
        MemoryDevice device = new MemoryDevice(8L << 20, Capabilities.all());
        NbdServer server =
                NbdServer.builder()
                        .device("", null, c -> device)
                        .tcp("127.0.0.1", 0)
                        .eventLoopThreads(1)
                        .tls(TlsConfig.fromDirectory(certs, TlsConfig.Mode.ON))
                        .build()
                        .start();
        try (server;
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            in.readLong();
            in.readLong();
            in.readShort();
            out.writeInt(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE | NbdMagic.CLIENT_FLAG_NO_ZEROES);
            option(out, NbdOption.EXTENDED_HEADERS, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), replyType(in));
            option(out, NbdOption.STARTTLS, new byte[0]);
            assertEquals(NbdOptionReply.ACK.wireValue(), replyType(in));
            SSLSocket tls =
                    (SSLSocket)
                            clientContext()
                                    .getSocketFactory()
                                    .createSocket(s, "localhost", server.port(), false);
            tls.setUseClientMode(true);
            tls.startHandshake();
            DataInputStream tin = new DataInputStream(tls.getInputStream());
            DataOutputStream tout = new DataOutputStream(tls.getOutputStream());
            option(tout, NbdOption.GO, RawClient.infoRequest(""));
            int type;
            while ((type = replyType(tin)) != NbdOptionReply.ACK.wireValue()) {
                assertEquals(NbdOptionReply.INFO.wireValue(), type);
            }
            tout.write(RawClient.request(0, NbdCommand.FLUSH.wireValue(), 5, 0, 0, null).array());
            tout.flush();
            assertEquals(NbdMagic.SIMPLE_REPLY_MAGIC, tin.readInt(), "a compact, simple reply");
            assertEquals(0, tin.readInt());
            assertEquals(5, tin.readLong());
            tls.close();
        }
    }

    private static void option(DataOutputStream out, NbdOption option, byte[] data)
            throws IOException {
        out.writeLong(NbdMagic.IHAVEOPT);
        out.writeInt(option.wireValue());
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    private static int replyType(DataInputStream in) throws IOException {
        assertEquals(NbdMagic.OPTION_REPLY_MAGIC, in.readLong());
        in.readInt();
        int type = in.readInt();
        in.readNBytes(in.readInt());
        return type;
    }

    private static SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream ca = Files.newInputStream(certs.resolve("ca-cert.pem"))) {
            ks.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void certificateFolders(@TempDir Path other) throws Exception {
        Path pkcs1 = TestCa.create(other.resolve("pkcs1"), true);
        assertTrue(
                Files.readString(pkcs1.resolve("server-key.pem"))
                        .contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(
                TlsConfig.Mode.REQUIRE,
                TlsConfig.fromDirectory(pkcs1, TlsConfig.Mode.REQUIRE).mode());

        Path missing = Files.createDirectories(other.resolve("missing"));
        Files.copy(certs.resolve("server-cert.pem"), missing.resolve("server-cert.pem"));
        Files.copy(certs.resolve("server-key.pem"), missing.resolve("server-key.pem"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TlsConfig.fromDirectory(missing, TlsConfig.Mode.ON));
        assertTrue(e.getMessage().contains("ca-cert.pem"), e.getMessage());

        Path badKey = Files.createDirectories(other.resolve("bad"));
        for (String f : List.of("ca-cert.pem", "server-cert.pem")) {
            Files.copy(certs.resolve(f), badKey.resolve(f));
        }
        Files.writeString(badKey.resolve("server-key.pem"), "not a key\n");
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TlsConfig.fromDirectory(badKey, TlsConfig.Mode.ON));
        assertTrue(e.getMessage().contains("server-key.pem"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TlsConfig.fromDirectory(other.resolve("nowhere"), TlsConfig.Mode.ON));
    }
}
