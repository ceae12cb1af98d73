package io.sparserandom.testsupport;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdMagic;
import io.sparserandom.protocol.NbdOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw TCP clients that try to make an NBD server hold memory, in three phases sharing one duration:
 *
 * <ol>
 *   <li>fuzz (60 %): workers that finish a valid handshake, then send random and mutated requests:
 *       reads up to 32 MiB whose replies they never read, writes whose payload is cut short or
 *       trickled a few bytes at a time, flipped header bits and plain garbage;
 *   <li>garbage handshakes (20 %): random bytes, and option headers announcing large data that
 *       never comes;
 *   <li>all through the fuzz phase, a few connections send 32 MiB write payloads a byte at a time,
 *       and as many send all but the last byte of a 32 MiB write payload as fast as the server
 *       takes it, then hold it unfinished;
 *   <li>idle (20 %): {@code idle} connections opened and held, half after GO, half mid-handshake.
 * </ol>
 *
 * The clients never wait for the server: a socket that does not drain within a second is closed and
 * a new one opened. Deterministic for a seed, apart from timing.
 *
 * <pre>{@code java -cp test-support.jar:nbd-protocol.jar io.sparserandom.testsupport.HostileClients
 * HOST PORT SECONDS [WORKERS [IDLE [SEED]]]}</pre>
 */
public final class HostileClients {
    private static final int MAX_PAYLOAD = NbdMagic.MAX_PAYLOAD;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InetSocketAddress address;
    private final Duration duration;
    private final int workers;
    private final int idle;
    private final long seed;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** What the clients did. */
    public record Report(long connections, long requests, long bytesSent, long refusedOrReset) {
        @Override
        public String toString() {
            return connections
                    + " connections, "
                    + requests
                    + " requests, "
                    + (bytesSent >> 20)
                    + " MiB sent, "
                    + refusedOrReset
                    + " connections refused or reset by the server";
        }
    }

    public HostileClients(
            String host, int port, Duration duration, int workers, int idle, long seed) {
        this.address = new InetSocketAddress(host, port);
        this.duration = duration;
        this.workers = workers;
        this.idle = idle;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: HostileClients HOST PORT SECONDS [WORKERS [IDLE [SEED]]]");
            System.exit(2);
        }
        HostileClients h =
                new HostileClients(
                        args[0],
                        Integer.parseInt(args[1]),
                        Duration.ofSeconds(Long.parseLong(args[2])),
                        args.length > 3 ? Integer.parseInt(args[3]) : 16,
                        args.length > 4 ? Integer.parseInt(args[4]) : 300,
                        args.length > 5 ? Long.parseLong(args[5]) : 1);
        System.err.println("hostile clients: " + h.run());
    }

    /** Runs the three phases; returns when the duration is over and every socket is closed. */
    public Report run() throws InterruptedException {
        long start = System.nanoTime();
        long total = duration.toNanos();
        long fuzzEnd = start + total * 6 / 10;
        long garbageEnd = start + total * 8 / 10;
        long end = start + total;
        Thread trickle = new Thread(() -> trickle(fuzzEnd), "hostile-trickle");
        trickle.setDaemon(true);
        trickle.start();
        Thread hog = new Thread(() -> hog(fuzzEnd), "hostile-hog");
        hog.setDaemon(true);
        hog.start();
        phase(fuzzEnd, this::fuzz);
        trickle.join();
        hog.join();
        phase(garbageEnd, this::garbageHandshake);
        holdIdle(end);
        return new Report(connections.get(), requests.get(), bytesSent.get(), refused.get());
    }

    private interface Behaviour {
        void once(SplittableRandom random, long deadline) throws IOException;
    }

    private void phase(long deadline, Behaviour behaviour) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
            Thread t =
                    new Thread(
                            () -> {
                                while (System.nanoTime() < deadline) {
                                    try {
                                        behaviour.once(random, deadline);
                                    } catch (IOException e) {
                                        refused.incrementAndGet(); // the server hung up on us
                                    }
                                }
                            },
                            "hostile-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private SocketChannel open() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(address);
        ch.configureBlocking(false);
        connections.incrementAndGet();
        return ch;
    }

    /**
     * Sends all of {@code b} unless the server stops reading for a second (it is applying
     * backpressure: fine) or the deadline passes; false then.
     */
    private boolean send(SocketChannel ch, ByteBuffer b, long deadline) throws IOException {
        long stalledSince = System.nanoTime();
        while (b.hasRemaining()) {
            int n = ch.write(b);
            long now = System.nanoTime();
            if (n > 0) {
                bytesSent.addAndGet(n);
                stalledSince = now;
            } else if (now - stalledSince > STALL_NANOS || now > deadline) {
                return false;
            } else {
                sleep(1);
            }
        }
        return true;
    }

    /** Reads and drops what the server sent so far; false on EOF. */
    private static boolean drain(SocketChannel ch) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(64 << 10);
        int n;
        while ((n = ch.read(sink)) > 0) {
            sink.clear();
        }
        return n >= 0;
    }

    /** Fixed newstyle, structured replies, base:allocation, GO: the way a real client starts. */
    private static ByteBuffer handshake(SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putInt(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE | NbdMagic.CLIENT_FLAG_NO_ZEROES);
        if (random.nextBoolean()) {
            option(b, NbdOption.STRUCTURED_REPLY.wireValue(), new byte[0]);
            option(
                    b,
                    NbdOption.SET_META_CONTEXT.wireValue(),
                    RawClient.metaContextRequest("", NbdMagic.BASE_ALLOCATION));
        }
        option(b, NbdOption.GO.wireValue(), RawClient.infoRequest(""));
        return b.flip();
    }

    private static void option(ByteBuffer b, int option, byte[] data) {
        b.putLong(NbdMagic.IHAVEOPT).putInt(option).putInt(data.length).put(data);
    }

    private static ByteBuffer header(int flags, int type, long cookie, long offset, long length) {
        return ByteBuffer.allocate(NbdMagic.REQUEST_HEADER_SIZE)
                .putInt(NbdMagic.REQUEST_MAGIC)
                .putShort((short) flags)
                .putShort((short) type)
                .putLong(cookie)
                .putLong(offset)
                .putInt((int) length)
                .flip();
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** One connection: a valid handshake, then up to a few hundred hostile requests. */
    private void fuzz(SplittableRandom random, long deadline) throws IOException {
        try (SocketChannel ch = open()) {
            if (!send(ch, handshake(random), deadline)) {
                return;
            }
            int count = 1 + random.nextInt(300);
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                requests.incrementAndGet();
                if (!fuzzOne(ch, random, deadline)) {
                    return;
                }
                // Read replies now and then only: most of the time they pile up on the server.
                if (random.nextInt(8) == 0 && !drain(ch)) {
                    return;
                }
            }
        }
    }

    private boolean fuzzOne(SocketChannel ch, SplittableRandom random, long deadline)
            throws IOException {
        long cookie = random.nextLong();
        // Offsets inside a small disk mostly, sometimes anywhere.
        long offset =
                random.nextInt(4) == 0 ? random.nextLong() : random.nextLong(1L << 30) & ~511L;
        switch (random.nextInt(7)) {
            case 0, 1 -> {
                // A large read whose reply we do not read.
                long length = 1 + random.nextLong(MAX_PAYLOAD);
                return send(
                        ch,
                        header(0, NbdCommand.READ.wireValue(), cookie, offset, length),
                        deadline);
            }
            case 2 -> {
                // A write whose payload is cut short; what follows is read as its payload.
                long length = 1 + random.nextLong(MAX_PAYLOAD);
                ByteBuffer h = header(0, NbdCommand.WRITE.wireValue(), cookie, offset, length);
                int part = (int) Math.min(length - 1, random.nextInt(1 << 20));
                return send(ch, h, deadline)
                        && send(ch, ByteBuffer.wrap(bytes(random, part)), deadline);
            }
            case 3 -> {
                // A large write payload trickled in small pieces.
                ByteBuffer h = header(0, NbdCommand.WRITE.wireValue(), cookie, offset, MAX_PAYLOAD);
                if (!send(ch, h, deadline)) {
                    return false;
                }
                int pieces = 50 + random.nextInt(200);
                for (int i = 0; i < pieces; i++) {
                    if (!send(
                            ch, ByteBuffer.wrap(bytes(random, 1 + random.nextInt(3))), deadline)) {
                        return false;
                    }
                }
                return true;
            }
            case 4 -> {
                // A valid header with one to three flipped bits (type, flags, length, magic).
                ByteBuffer h =
                        header(0, random.nextInt(10), cookie, offset, random.nextLong(1L << 32));
                for (int bits = 1 + random.nextInt(3); bits > 0; bits--) {
                    int bit = random.nextInt(h.limit() * 8);
                    h.put(bit / 8, (byte) (h.get(bit / 8) ^ (1 << (bit % 8))));
                }
                return send(ch, h, deadline);
            }
            case 5 -> {
                // A header cut short, then the connection is dropped.
                ByteBuffer h = header(0, NbdCommand.WRITE.wireValue(), cookie, offset, 4096);
                h.limit(1 + random.nextInt(h.limit() - 1));
                send(ch, h, deadline);
                return false;
            }
            default -> {
                return send(ch, ByteBuffer.wrap(bytes(random, 1 + random.nextInt(4096))), deadline);
            }
        }
    }

    /**
     * {@code workers / 4} connections (at least one), each sending a 32 MiB write payload one byte
     * per send until the deadline: a server that keeps a read buffer per socket read holds hundreds
     * of bytes per byte sent.
     */
    private void trickle(long deadline) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < Math.max(1, workers / 4); i++) {
                SocketChannel ch = open();
                held.add(ch);
                send(ch, handshake(random), deadline);
                send(ch, header(0, NbdCommand.WRITE.wireValue(), 1, 0, MAX_PAYLOAD), deadline);
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            while (System.nanoTime() < deadline) {
                for (SocketChannel ch : held) {
                    one.clear();
                    int n = ch.write(one);
                    bytesSent.addAndGet(n);
                    drain(ch);
                }
            }
        } catch (IOException e) {
            refused.incrementAndGet();
        } finally {
            for (SocketChannel ch : held) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    /**
     * {@code workers / 4} connections (at least one), each sending all but the last byte of a 32
     * MiB write payload, then holding it until the deadline: a server that buffers every payload
     * whole until it completes holds 32 MiB per connection.
     */
    private void hog(long deadline) {
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<SocketChannel> held = new ArrayList<>();
        try {
            ByteBuffer chunk = ByteBuffer.wrap(bytes(random, 1 << 20));
            for (int i = 0; i < Math.max(1, workers / 4) && System.nanoTime() < deadline; i++) {
                SocketChannel ch = open();
                held.add(ch);
                if (!send(ch, handshake(random), deadline)
                        || !send(
                                ch,
                                header(0, NbdCommand.WRITE.wireValue(), 1, 0, MAX_PAYLOAD),
                                deadline)) {
                    continue;
                }
                // Stops early, and moves on to the next connection, once the server stops reading.
                for (int left = MAX_PAYLOAD - 1; left > 0; ) {
                    chunk.clear().limit(Math.min(left, chunk.capacity()));
                    if (!send(ch, chunk, deadline)) {
                        break;
                    }
                    left -= chunk.limit();
                }
                drain(ch);
            }
            while (System.nanoTime() < deadline) {
                for (SocketChannel ch : held) {
                    drain(ch);
                }
                sleep(200);
            }
        } catch (IOException e) {
            refused.incrementAndGet();
        } finally {
            for (SocketChannel ch : held) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    /** One connection that never speaks NBD properly. */
    private void garbageHandshake(SplittableRandom random, long deadline) throws IOException {
        try (SocketChannel ch = open()) {
            requests.incrementAndGet();
            ByteBuffer b;
            switch (random.nextInt(3)) {
                case 0 -> b = ByteBuffer.wrap(bytes(random, 1 + random.nextInt(8192)));
                case 1 -> {
                    // An option announcing up to 16 MiB of data, of which a part comes.
                    b = ByteBuffer.allocate(20 + 65536);
                    b.putInt(NbdMagic.CLIENT_FLAG_FIXED_NEWSTYLE)
                            .putLong(NbdMagic.IHAVEOPT)
                            .putInt(random.nextInt(12))
                            .putInt(random.nextInt(16 << 20))
                            .put(bytes(random, random.nextInt(65536)))
                            .flip();
                }
                default -> {
                    // Options with mutated lengths.
                    b = handshake(random);
                    int at = 4 + 12 + random.nextInt(4);
                    if (at < b.limit()) {
                        b.put(at, (byte) random.nextInt(256));
                    }
                }
            }
            send(ch, b, deadline);
            drain(ch);
        }
    }

    /** Opens {@code idle} connections and holds them until the deadline. */
    private void holdIdle(long deadline) {
        List<SocketChannel> held = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int i = 0; i < idle && System.nanoTime() < deadline; i++) {
                try {
                    SocketChannel ch = open();
                    held.add(ch);
                    if (i % 2 == 0) {
                        send(ch, handshake(random), deadline);
                    } else {
                        send(ch, ByteBuffer.allocate(4).putInt(0, 1), deadline); // flags only
                    }
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
            }
            while (System.nanoTime() < deadline) {
                for (SocketChannel ch : held) {
                    try {
                        drain(ch);
                    } catch (IOException e) {
                        // closed by the server (handshake timeout): fine
                    }
                }
                sleep(200);
            }
        } finally {
            for (SocketChannel ch : held) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
