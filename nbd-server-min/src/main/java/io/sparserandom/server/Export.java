package io.sparserandom.server;

/**
 * A named export: what LIST shows and what GO/EXPORT_NAME opens.
 *
 * @param name the name clients give
 * @param description shown by NBD_OPT_LIST and NBD_INFO_DESCRIPTION, or null
 * @param factory opens the device for each connection that chooses this export
 */
public record Export(String name, String description, DeviceFactory factory) {}
