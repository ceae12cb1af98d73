package io.sparserandom.client;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NbdUriTest {
    @Test
    void tcpWithPortAndExport() {
        NbdUri u = NbdUri.parse("nbd://example.com:10810/disk0");
        assertEquals(NbdUri.tcp("example.com", 10810, "disk0"), u);
        assertFalse(u.isUnix());
    }

    @Test
    void tcpDefaults() {
        assertEquals(NbdUri.tcp("localhost", 10809, ""), NbdUri.parse("nbd://localhost"));
        assertEquals(NbdUri.tcp("localhost", 10809, ""), NbdUri.parse("nbd://localhost/"));
        assertEquals(NbdUri.tcp("::1", 10809, "x"), NbdUri.parse("nbd://[::1]/x"));
    }

    @Test
    void unixSocket() {
        NbdUri u = NbdUri.parse("nbd+unix:///?socket=/tmp/s.sock");
        assertEquals(NbdUri.unix(Path.of("/tmp/s.sock"), ""), u);
        assertEquals(
                NbdUri.unix(Path.of("/tmp/a b"), "exp"),
                NbdUri.parse("nbd+unix:///exp?socket=/tmp/a%20b"));
    }

    @Test
    void roundTripThroughToString() {
        for (String s : new String[] {"nbd+unix:///e?socket=/tmp/x.sock", "nbd://h:1234/e"}) {
            assertEquals(NbdUri.parse(s), NbdUri.parse(NbdUri.parse(s).toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "nbds://host/x",
                "nbds+unix:///?socket=/s",
                "nbd+vsock://2:10809/",
                "http://host/x",
                "nbd+unix:///x",
                "nbd+unix://host/?socket=/s",
                "nbd:///x",
                "/tmp/file",
                "",
                "nbd://h/?foo=1",
                "nbd:opaque",
                "nbd://h:notaport/"
            })
    void rejected(String s) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NbdUri.parse(s));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void messageNamesTheProblem() {
        assertTrue(message("nbds://h/").contains("TLS"));
        assertTrue(message("nbd+unix:///x").contains("socket="));
        assertTrue(message("http://h/").contains("scheme 'http'"));
    }

    static String message(String uri) {
        return assertThrows(IllegalArgumentException.class, () -> NbdUri.parse(uri)).getMessage();
    }
}
