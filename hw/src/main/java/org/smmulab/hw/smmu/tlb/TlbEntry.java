package org.smmulab.hw.smmu.tlb;

import org.smmulab.arch.pte.Granule;
import org.smmulab.hw.smmu.txn.Permissions;

/**
 * One cached leaf translation: the naturally aligned input range {@code [inputBase, inputBase +
 * 2^sizeShift)} maps to {@code [outputBase, ...)} with {@code permissions}. For nested entries the
 * size is the smaller of the stage-1 and stage-2 leaf sizes.
 *
 * @param tag how the entry is tagged
 * @param inputBase input address of the range (VA, or IPA for stage-2 entries), aligned to its size
 * @param sizeShift log2 of the bytes the entry covers
 * @param outputBase physical address of the range
 * @param permissions the effective permissions (stage 1 intersected with stage 2 when nested)
 * @param level the translation level of the leaf descriptor (1..3), for TTL matching; for nested
 *     entries the stage-1 level
 * @param granule the leaf's translation granule, for TG matching of range invalidations
 */
public record TlbEntry(
    CacheTag tag,
    long inputBase,
    int sizeShift,
    long outputBase,
    Permissions permissions,
    int level,
    Granule granule) {

  /** Whether the entry covers {@code address}. */
  public boolean covers(long address) {
    return (address >>> sizeShift) == (inputBase >>> sizeShift);
  }

  /** The output address of {@code address}, which the entry must cover. */
  public long translate(long address) {
    return outputBase | (address & ((1L << sizeShift) - 1));
  }
}
