package io.sparserandom.server;

/**
 * One client connection, as devices and listeners see it.
 *
 * @param id unique per server, counting from 1
 * @param remote the peer's address, for logs
 * @param exportName the export the client chose ("" before it chose)
 * @param readOnly whether writes are refused on this connection
 */
public record ConnectionInfo(long id, String remote, String exportName, boolean readOnly) {}
