package org.smmulab.hw.smmu.tlb;

import org.smmulab.arch.pte.Granule;

/**
 * One cached table descriptor: for inputs in {@code [inputBase, inputBase + 2^sizeShift)} the walk
 * continues at level {@code level + 1} in the table at {@code tableAddress}, with the hierarchical
 * restrictions accumulated so far.
 *
 * @param tag how the entry is tagged ({@link CacheTag.Kind#STAGE2} for stage-2 walks, including the
 *     stage-2 walks made on behalf of a nested stage 1)
 * @param level the level of the table descriptor (0..2)
 * @param inputBase input address range start, aligned to the range
 * @param sizeShift log2 of the bytes the descriptor covers
 * @param tableAddress address of the next-level table: a physical address, except in the stage-1
 *     walk of a nested stream, where it is the IPA the stage-1 descriptor holds (the walker
 *     translates it through stage 2 before every fetch, so a stage-2 change needs no stage-1
 *     walk-cache invalidation to take effect)
 * @param granule the walk's granule
 * @param apTable accumulated APTable bits (bit 1 no write, bit 0 no unprivileged access)
 * @param pxnTable accumulated PXNTable
 * @param uxnTable accumulated UXNTable (XNTable)
 */
public record WalkCacheEntry(
    CacheTag tag,
    int level,
    long inputBase,
    int sizeShift,
    long tableAddress,
    Granule granule,
    int apTable,
    boolean pxnTable,
    boolean uxnTable) {

  /** Whether the entry covers {@code address}. */
  public boolean covers(long address) {
    return (address >>> sizeShift) == (inputBase >>> sizeShift);
  }
}
