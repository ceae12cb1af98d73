/**
 * A pipelined NBD client on Netty.
 *
 * <pre>{@code
 * try (NbdClient c = NbdClient.connect(NbdUri.parse("nbd+unix:///?socket=/tmp/sock"))) {
 *     NbdExportInfo info = c.info();                 // size, flags, block sizes, structured, meta context
 *     ByteBuf b = c.pread(0, 4096);                  // blocking; caller releases b
 *     b.release();
 *     CompletableFuture<ByteBuf> f = c.readAsync(4096, 65536);   // async core
 *     c.pwrite(0, Unpooled.wrappedBuffer(data), false);          // takes ownership of the buffer
 *     List<Extent> ext = c.blockStatus(0, c.size(), false);      // base:allocation
 * }
 * }</pre>
 *
 * Layers: {@link io.sparserandom.client.NbdHandshakeHandler} (negotiation) is swapped for {@link
 * io.sparserandom.protocol.NbdRequestEncoder}, {@link io.sparserandom.client.NbdReplyDecoder} and
 * {@link io.sparserandom.client.NbdClientHandler} (transmission) once negotiation is done. {@link
 * io.sparserandom.client.NbdConnectionPool} opens several connections when the server allows
 * multi-conn.
 */
package io.sparserandom.client;
