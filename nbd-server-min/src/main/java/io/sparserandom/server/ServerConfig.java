package io.sparserandom.server;

import java.time.Duration;
import java.util.Map;

/** What the server was built with; shared by every connection. */
record ServerConfig(
        ExportResolver exports,
        boolean readOnly,
        Duration handshakeTimeout,
        ServerListener listener,
        TlsConfig tls,
        FaultState faults,
        TransmissionObserver.Factory observers) {
    /** Without server-side faults or transmission observers. */
    ServerConfig(
            ExportResolver exports,
            boolean readOnly,
            Duration handshakeTimeout,
            ServerListener listener,
            TlsConfig tls) {
        this(
                exports,
                readOnly,
                handshakeTimeout,
                listener,
                tls,
                new FaultState(ServerFaults.NONE, () -> {}),
                TransmissionObserver.Factory.NONE);
    }

    /** Without TLS. */
    ServerConfig(
            Map<String, Export> exports,
            boolean readOnly,
            Duration handshakeTimeout,
            ServerListener listener) {
        this(ExportResolver.of(exports), readOnly, handshakeTimeout, listener, TlsConfig.OFF);
    }
}
