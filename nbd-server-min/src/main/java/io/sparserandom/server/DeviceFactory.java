package io.sparserandom.server;

import io.sparserandom.device.BlockDevice;
import io.sparserandom.device.DeviceException;

/**
 * Opens the device for one connection, once the client has chosen the export. This is where
 * decorators (verification, statistics) get a per-connection view.
 */
@FunctionalInterface
public interface DeviceFactory {
    BlockDevice open(ConnectionInfo connection) throws DeviceException;

    /**
     * The connection that {@link #open opened} a device is done with it: it closed, or it opened
     * the device only to answer NBD_OPT_INFO. Called once per successful open, on an event loop.
     */
    default void close(ConnectionInfo connection) {}
}
