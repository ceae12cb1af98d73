package io.sparserandom.server;

/** A named export: what LIST shows and what GO/EXPORT_NAME opens. */
record Export(String name, String description, DeviceFactory factory) {}
