package io.sparserandom.runner;

import io.sparserandom.faults.BlockSizePolicy;
import io.sparserandom.faults.FaultCommand;
import io.sparserandom.faults.FaultPlan;
import io.sparserandom.faults.MaskedFeature;
import io.sparserandom.protocol.NbdCommand;
import io.sparserandom.server.ServerFaults;

/** The server's part of a {@link FaultPlan}: the faults module knows no wire commands. */
public final class FaultWiring {
    private FaultWiring() {}

    public static ServerFaults serverFaults(FaultPlan plan) {
        ServerFaults.Builder b = ServerFaults.builder();
        for (FaultCommand c : FaultCommand.values()) {
            b.delay(wire(c), plan.delay(c));
        }
        b.rate(plan.rate()).disconnectAfter(plan.disconnectAfter());
        if (plan.enforcesBlockSizes()) {
            b.blockSizes(
                    plan.effectiveBlockSizes(),
                    plan.blockSizePolicy() == BlockSizePolicy.DISCONNECT
                            ? ServerFaults.Enforcement.DISCONNECT
                            : ServerFaults.Enforcement.ERROR);
        }
        if (plan.isMasked(MaskedFeature.EXTENTS)) {
            b.hideBaseAllocation();
        }
        return b.build();
    }

    static NbdCommand wire(FaultCommand c) {
        return switch (c) {
            case READ -> NbdCommand.READ;
            case WRITE -> NbdCommand.WRITE;
            case ZERO -> NbdCommand.WRITE_ZEROES;
            case TRIM -> NbdCommand.TRIM;
            case FLUSH -> NbdCommand.FLUSH;
            case CACHE -> NbdCommand.CACHE;
            case BLOCK_STATUS -> NbdCommand.BLOCK_STATUS;
        };
    }
}
