package io.sparserandom.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several connections to one export. Opens the first, and the others only when the server
 * advertises CAN_MULTI_CONN (otherwise connections could see each other's writes inconsistently).
 */
public final class NbdConnectionPool implements AutoCloseable {
    private final List<NbdClient> clients;

    private NbdConnectionPool(List<NbdClient> clients) {
        this.clients = List.copyOf(clients);
    }

    /**
     * Opens up to {@code wanted} connections; just one when the server does not allow multi-conn.
     */
    public static NbdConnectionPool open(NbdUri uri, NbdClientOptions options, int wanted)
            throws IOException {
        NbdClient first = NbdClient.connect(uri, options, 0);
        return extend(first, options, wanted);
    }

    /**
     * Builds a pool around an open connection, adding connections up to {@code wanted} if allowed.
     */
    public static NbdConnectionPool extend(NbdClient first, NbdClientOptions options, int wanted)
            throws IOException {
        List<NbdClient> list = new ArrayList<>();
        list.add(first);
        int n = first.info().canMultiConn() ? Math.max(1, wanted) : 1;
        try {
            for (int i = 1; i < n; i++) {
                list.add(NbdClient.connect(first.uri(), options, i));
            }
        } catch (IOException | RuntimeException e) {
            list.forEach(NbdClient::close);
            throw e;
        }
        return new NbdConnectionPool(list);
    }

    public int size() {
        return clients.size();
    }

    /** Connection {@code i} modulo the pool size. */
    public NbdClient get(int i) {
        return clients.get(Math.floorMod(i, clients.size()));
    }

    public NbdExportInfo info() {
        return clients.get(0).info();
    }

    @Override
    public void close() {
        for (NbdClient c : clients) {
            c.close();
        }
    }
}
