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
}
