package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.Capabilities;
import io.sparserandom.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unix socket bound before its server starts (how --run starts its command while Netty starts):
 * clients that connect early are served once the server takes it over, and a socket no server took
 * leaves nothing behind.
 */
@Timeout(20)
class BoundUnixSocketTest {
    private static final long SIZE = 16 * MemoryDevice.BLOCK;

    @TempDir Path dir;

    private static NbdServer.Builder serverOn(BoundUnixSocket socket) {
        return NbdServer.builder()
                .device("", "memory", c -> new MemoryDevice(SIZE, Capabilities.all()))
                .listening(socket)
                .eventLoopThreads(2);
    }

    @Test
    void aClientThatConnectedBeforeTheServerStartedIsServed() throws Exception {
        Path path = dir.resolve("nbd.sock");
        BoundUnixSocket socket = BoundUnixSocket.bind(path);
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        // The connect completes in the kernel's queue; the greeting waits for the server.
        try (RawClient early = new RawClient(path)) {
            NbdServer server = serverOn(socket).build().start();
            try {
                assertEquals(SIZE, early.connect("", true, false).size());
                try (RawClient later = new RawClient(path)) {
                    assertEquals(SIZE, later.connect("", true, false).size());
                }
            } finally {
                server.close();
            }
        }
        assertFalse(Files.exists(path), "the server removes the socket's file when it closes");
        socket.close(); // the server's now: nothing to do
    }

    @Test
    void aSocketNoServerTookIsClosedAndItsFileRemoved() throws Exception {
        Path path = dir.resolve("nbd.sock");
        BoundUnixSocket socket = BoundUnixSocket.bind(path);
        assertTrue(Files.exists(path));
        socket.close();
        socket.close();
        assertFalse(Files.exists(path));
        assertThrows(IOException.class, () -> new RawClient(path));
        IOException e = assertThrows(IOException.class, () -> serverOn(socket).build().start());
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @Test
    void oneSocketServesOneServer() throws Exception {
        BoundUnixSocket socket = BoundUnixSocket.bind(dir.resolve("nbd.sock"));
        NbdServer first = serverOn(socket).build().start();
        try {
            IOException e = assertThrows(IOException.class, () -> serverOn(socket).build().start());
            assertTrue(e.getMessage().contains("belongs to a server already"), e.getMessage());
            try (RawClient c = new RawClient(socket.path())) {
                assertEquals(SIZE, c.connect("", true, false).size());
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aFileInTheWayIsReplacedAsTheServersOwnBindDoes() throws Exception {
        Path path = dir.resolve("nbd.sock");
        Files.writeString(path, "stale");
        BoundUnixSocket socket = BoundUnixSocket.bind(path);
        NbdServer server = serverOn(socket).build().start();
        try (RawClient c = new RawClient(path)) {
            assertEquals(SIZE, c.connect("", true, false).size());
        } finally {
            server.close();
        }
    }
}
