package io.sparserandom.generator;

/**
 * nbdkit's two-state chain as probabilities per 4 KiB block, from the disk's percent and runlength.
 * Both layouts start from these numbers, so they agree on what the parameters mean.
 *
 * <pre>
 *   P_dh = 1 / (runlength / 4096.0)                        (leave DATA after a block)
 *   P_hd = (percent/100) * P_dh / (1 - percent/100)        (leave HOLE after a block)
 * </pre>
 *
 * computed in doubles exactly as nbdkit does, since {@link NbdkitLayout} must flip on the same
 * draws. Either may exceed 1 (runlength under 4096, or percent near 100): nbdkit then flips after
 * every block, and {@link SegmentLayout} clamps to 1. Percent 0 and 100 have no chain (0/0, x/0);
 * the layouts treat them as all-hole and all-data before asking.
 *
 * @param leaveData P_dh: chance that a data block is the last of its run
 * @param leaveHole P_hd: chance that a hole block is the last of its run
 */
record Transitions(double leaveData, double leaveHole) {

    static Transitions of(double percent, long runlength) {
        double pDh = 1. / ((double) runlength / SparseRandomDisk.BLOCK_SIZE);
        double pHd = (percent / 100.) * pDh / (1. - (percent / 100.));
        return new Transitions(pDh, pHd);
    }
}
