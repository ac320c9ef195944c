package org.smmulab.hw.smmu.walk;

import org.smmulab.hw.smmu.tlb.TlbEntry;

/**
 * A successful walk: where the transaction goes, and the leaf translation the caller may cache.
 *
 * @param outputAddress the physical address the transaction's input address translates to
 * @param entry the TLB entry covering the input address (for nested translation the smaller of the
 *     stage-1 and stage-2 leaf sizes, with the intersected permissions); the walker itself never
 *     inserts it, so the caller decides (and passes the generation it read before the walk)
 */
public record WalkResult(long outputAddress, TlbEntry entry) {}
