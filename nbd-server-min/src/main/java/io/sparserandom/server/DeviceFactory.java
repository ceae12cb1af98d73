package io.sparserandom.server;

/**
 * Opens the device for one connection, once the client has chosen the export. This is where
 * decorators (verification, statistics) get a per-connection view.
 */
@FunctionalInterface
public interface DeviceFactory {
    BlockDevice open(ConnectionInfo connection) throws DeviceException;
}
