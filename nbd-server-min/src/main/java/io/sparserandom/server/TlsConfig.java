package io.sparserandom.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS for the handshake's NBD_OPT_STARTTLS: the mode and the server's certificate. Certificates
 * come from a folder laid out as nbdkit and libnbd expect: {@code server-cert.pem} (the server's
 * certificate, then any intermediates), {@code server-key.pem} (its key: PKCS#8 "BEGIN PRIVATE
 * KEY", or an RSA key in PKCS#1 "BEGIN RSA PRIVATE KEY" as certtool writes it) and {@code
 * ca-cert.pem} (the authority clients check the server against; required so that a folder that
 * works here works with nbdkit too). TLS 1.3 and 1.2 only; client certificates are not asked for.
 */
public final class TlsConfig {
    /** off: STARTTLS refused; on: offered; require: nothing but STARTTLS and ABORT before TLS. */
    public enum Mode {
        OFF,
        ON,
        REQUIRE
    }

    public static final TlsConfig OFF = new TlsConfig(Mode.OFF, null);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Mode mode;
    private final SslContext context;

    private TlsConfig(Mode mode, SslContext context) {
        this.mode = mode;
        this.context = context;
    }

    public Mode mode() {
        return mode;
    }

    boolean enabled() {
        return mode != Mode.OFF;
    }

    boolean required() {
        return mode == Mode.REQUIRE;
    }

    SslContext context() {
        return context;
    }

    /**
     * Reads the certificate folder.
     *
     * @throws IllegalArgumentException naming the file that is missing or unreadable
     */
    public static TlsConfig fromDirectory(Path dir, Mode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.OFF) {
            return OFF;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "TLS certificates folder " + dir + " does not exist");
        }
        Path ca = dir.resolve("ca-cert.pem");
        Path cert = dir.resolve("server-cert.pem");
        Path key = dir.resolve("server-key.pem");
        for (Path p : List.of(ca, cert, key)) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException(
                        "TLS certificates folder " + dir + " has no readable " + p.getFileName());
            }
        }
        X509Certificate[] chain = certificates(cert);
        certificates(ca); // fail now, not at the first client, if the authority is unreadable
        PrivateKey privateKey = privateKey(key);
        try {
            SslContext ctx =
                    SslContextBuilder.forServer(privateKey, chain)
                            .sslProvider(SslProvider.JDK)
                            .protocols(PROTOCOLS)
                            .build();
            return new TlsConfig(mode, ctx);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "TLS: "
                            + cert.getFileName()
                            + " and "
                            + key.getFileName()
                            + " in "
                            + dir
                            + " cannot be used: "
                            + e.getMessage(),
                    e);
        }
    }

    private static X509Certificate[] certificates(Path file) {
        try (var in = Files.newInputStream(file)) {
            X509Certificate[] certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                            .map(X509Certificate.class::cast)
                            .toArray(X509Certificate[]::new);
            if (certs.length == 0) {
                throw new IllegalArgumentException("TLS: " + file + " holds no certificate");
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS: " + file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "TLS: cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            byte[] pkcs1 = pemBlock(pem, "RSA PRIVATE KEY");
            if (pkcs1 != null) {
                return KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(pkcs1)));
            }
            byte[] pkcs8 = pemBlock(pem, "PRIVATE KEY");
            if (pkcs8 == null) {
                throw new IllegalArgumentException(
                        "TLS: "
                                + file
                                + " holds no \"PRIVATE KEY\" or \"RSA PRIVATE KEY\""
                                + " (convert other keys with: openssl pkcs8 -topk8 -nocrypt -in KEY -out server-key.pem)");
            }
            for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                try {
                    return KeyFactory.getInstance(algorithm)
                            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException ignored) {
                    // not this algorithm: try the next
                }
            }
            throw new IllegalArgumentException(
                    "TLS: the key in " + file + " is not RSA, EC or EdDSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS: the key in " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The base64 body of the first {@code -----BEGIN type-----} block, decoded, or null. */
    private static byte[] pemBlock(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        int a = pem.indexOf(begin);
        if (a < 0) {
            return null;
        }
        int b = pem.indexOf("-----END " + type + "-----", a);
        if (b < 0) {
            return null;
        }
        return Base64.getMimeDecoder().decode(pem.substring(a + begin.length(), b));
    }

    /**
     * PKCS#1 RSAPrivateKey wrapped as PKCS#8: SEQUENCE { 0, { rsaEncryption, NULL }, OCTET STRING
     * }.
     */
    static byte[] rsaPkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        var out = new java.io.ByteArrayOutputStream(1 + len.length + n);
        out.write(tag);
        out.writeBytes(len);
        out.writeBytes(content);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "TLS " + mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
