package io.sparserandom.server;

import io.sparserandom.device.Capabilities;
import io.sparserandom.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A server on a unix socket in a test's temporary directory, serving {@link MemoryDevice}s. */
final class TestServer implements AutoCloseable {
    final NbdServer server;
    final Path socket;
    final MemoryDevice device;

    private TestServer(NbdServer server, Path socket, MemoryDevice device) {
        this.server = server;
        this.socket = socket;
        this.device = device;
    }

    /** Export "" is {@code device}; "other" is a small second export. */
    static TestServer start(
            Path dir, MemoryDevice device, UnaryOperator<NbdServer.Builder> customize)
            throws IOException {
        Path socket = dir.resolve("nbd.sock");
        MemoryDevice other = new MemoryDevice(MemoryDevice.BLOCK * 4L, Capabilities.all());
        NbdServer.Builder b =
                NbdServer.builder()
                        .device("", "the test disk", c -> device)
                        .device("other", "a second disk", c -> other)
                        .unixSocket(socket)
                        .eventLoopThreads(2);
        NbdServer server = customize.apply(b).build().start();
        return new TestServer(server, socket, device);
    }

    static TestServer start(Path dir) throws IOException {
        return start(dir, new MemoryDevice(), b -> b);
    }

    RawClient client() throws IOException {
        return new RawClient(socket);
    }

    String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    @Override
    public void close() {
        server.close();
    }
}
