package io.sparserandom.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which exports a client may name. The server asks during the handshake and knows nothing of what
 * an export holds: a fixed table ({@link #of}) or exports made on demand from their names. Called
 * on event-loop threads, so implementations must be thread-safe and quick.
 */
public interface ExportResolver {
    /**
     * The export a client named (NBD_OPT_GO, INFO, EXPORT_NAME, meta context options).
     *
     * @throws UnknownExportException with the one-line reason the client is sent
     */
    Export resolve(String name) throws UnknownExportException;

    /** The exports NBD_OPT_LIST shows, in order. */
    Collection<Export> list();

    /** A fixed table of exports. */
    static ExportResolver of(Map<String, Export> exports) {
        Map<String, Export> copy = Map.copyOf(exports);
        List<Export> ordered = List.copyOf(exports.values());
        return new ExportResolver() {
            @Override
            public Export resolve(String name) throws UnknownExportException {
                Export e = copy.get(name);
                if (e == null) {
                    throw new UnknownExportException("no export named '" + name + "'");
                }
                return e;
            }

            @Override
            public Collection<Export> list() {
                return ordered;
            }
        };
    }

    /** No such export, or it cannot be made; the message goes to the client. */
    final class UnknownExportException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnknownExportException(String message) {
            super(message, null, false, false);
        }
    }
}
