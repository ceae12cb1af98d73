package io.sparserandom.runner;

import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.protocol.NbdTransmissionFlag;
import io.sparserandom.server.ConnectionInfo;
import io.sparserandom.server.TransmissionObserver;
import io.sparserandom.verifier.DurabilityLedger;

/**
 * Tells the verifier's {@link DurabilityLedger} what only the server sees: what each client was
 * promised (flush, multi-conn), when a FLUSH arrives and when a reply leaves. The server knows
 * nothing of the verifier, and the verifier nothing of NBD commands.
 */
public final class DurabilityObserver implements TransmissionObserver.Factory {
    private final DurabilityLedger ledger;

    /** {@code ledger} may be null (nothing recorded): then every connection goes unobserved. */
    public DurabilityObserver(DurabilityLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public TransmissionObserver open(ConnectionInfo connection, int flags) {
        if (ledger == null) {
            return TransmissionObserver.NONE;
        }
        DurabilityLedger.Connection d =
                ledger.open(
                        connection.id(),
                        (flags & NbdTransmissionFlag.SEND_FLUSH) != 0,
                        (flags & NbdTransmissionFlag.CAN_MULTI_CONN) != 0);
        return new TransmissionObserver() {
            @Override
            public void requestArrived(NbdCommand command, long offset, long length) {
                if (command == NbdCommand.FLUSH) {
                    d.flushArrived();
                }
            }

            @Override
            public void replySent(NbdCommand command, long offset, long length, boolean ok) {
                switch (command) {
                    case WRITE -> d.replySent(DurabilityLedger.Kind.WRITE, offset, length, ok);
                    case WRITE_ZEROES ->
                            d.replySent(DurabilityLedger.Kind.ZERO, offset, length, ok);
                    case TRIM -> d.replySent(DurabilityLedger.Kind.TRIM, offset, length, ok);
                    case FLUSH -> d.flushReplied(ok);
                    default -> {}
                }
            }

            @Override
            public void closed() {
                d.closed();
            }
        };
    }
}
