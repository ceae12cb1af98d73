package io.sparserandom.verifier;

import io.sparserandom.device.BlockDevice;

/**
 * The verifying write path for one disk: wraps the disk once per connection and collects what every
 * connection did in one {@link CoverageLedger}.
 */
public final class Verifier {
    private final BlockDevice disk;
    private final CoverageLedger ledger;

    public Verifier(BlockDevice disk) {
        this(disk, new CoverageLedger());
    }

    public Verifier(BlockDevice disk, CoverageLedger ledger) {
        this.disk = disk;
        this.ledger = ledger;
    }

    /**
     * A view of the disk for one connection: reads pass through, writes are checked and recorded.
     */
    public BlockDevice forConnection(long connectionId) {
        return new VerifyingDevice(disk, ledger, connectionId);
    }

    public BlockDevice disk() {
        return disk;
    }

    public CoverageLedger ledger() {
        return ledger;
    }
}
