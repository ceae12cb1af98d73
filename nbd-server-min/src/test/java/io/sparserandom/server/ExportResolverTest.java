package io.sparserandom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.device.Capabilities;
import io.sparserandom.protocol.NbdOption;
import io.sparserandom.protocol.NbdOptionReply;
import io.sparserandom.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports made on demand: names are resolved as clients give them, the resolver's refusal reaches
 * the client, and every device opened is closed once (after INFO at once, after GO on disconnect).
 */
@Timeout(20)
class ExportResolverTest {
    @TempDir Path dir;
    NbdServer server;
    final ConcurrentMap<String, Export> made = new ConcurrentHashMap<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    /** Names of digits make a disk of that many 4 KiB blocks; anything else is refused. */
    final ExportResolver resolver =
            new ExportResolver() {
                @Override
                public Export resolve(String name) throws UnknownExportException {
                    if (!name.matches("[1-9][0-9]{0,3}")) {
                        throw new UnknownExportException("'" + name + "' is not a block count");
                    }
                    return made.computeIfAbsent(
                            name,
                            n -> {
                                MemoryDevice d =
                                        new MemoryDevice(
                                                Long.parseLong(n) * MemoryDevice.BLOCK,
                                                Capabilities.all());
                                return new Export(
                                        n,
                                        n + " blocks",
                                        new DeviceFactory() {
                                            @Override
                                            public io.sparserandom.device.BlockDevice open(
                                                    ConnectionInfo c) {
                                                open.incrementAndGet();
                                                return d;
                                            }

                                            @Override
                                            public void close(ConnectionInfo c) {
                                                open.decrementAndGet();
                                                closes.incrementAndGet();
                                            }
                                        });
                            });
                }

                @Override
                public Collection<Export> list() {
                    return List.copyOf(made.values());
                }
            };

    @BeforeEach
    void start() throws IOException {
        server =
                NbdServer.builder()
                        .exports(resolver)
                        .unixSocket(dir.resolve("nbd.sock"))
                        .eventLoopThreads(2)
                        .build()
                        .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient client() throws IOException {
        return new RawClient(dir.resolve("nbd.sock"));
    }

    @Test
    void aNameMakesItsExportAndTheRefusalReachesTheClient() throws Exception {
        try (RawClient c = client()) {
            assertEquals(3 * MemoryDevice.BLOCK, c.connect("3", false, false).size());
        }
        try (RawClient c = client()) {
            c.hello();
            c.option(NbdOption.GO, RawClient.infoRequest("three"));
            RawClient.OptionReply r = c.optionReply();
            assertEquals(NbdOptionReply.ERR_UNKNOWN.wireValue(), r.type());
            assertEquals("'three' is not a block count", r.text());
        }
    }

    @Test
    void listShowsTheExportsKnownNow() throws Exception {
        try (RawClient c = client()) {
            c.connect("7", false, false);
        }
        try (RawClient c = client()) {
            c.hello();
            c.option(NbdOption.LIST, new byte[0]);
            List<RawClient.OptionReply> rs = c.optionReplies();
            assertEquals(2, rs.size(), rs.toString());
            String server = new String(rs.get(0).data(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(server.endsWith("77 blocks"), server); // name "7" then description
        }
    }

    @Test
    void everyOpenIsClosedOnceAfterInfoAndAfterDisconnect() throws Exception {
        try (RawClient c = client()) {
            c.hello();
            c.option(NbdOption.INFO, RawClient.infoRequest("5"));
            c.optionReplies();
            assertEquals(0, open.get(), "INFO closes what it opened");
            c.go("5", true, true);
            assertEquals(1, open.get());
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (open.get() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, open.get(), "the closed connection released its device");
        assertEquals(2, closes.get());
    }

    @Test
    void builderTakesDevicesOrAResolverNotBoth() {
        assertThrows(
                IllegalStateException.class,
                () ->
                        NbdServer.builder()
                                .exports(resolver)
                                .device("", null, c -> null)
                                .tcp("127.0.0.1", 0)
                                .build());
    }
}
