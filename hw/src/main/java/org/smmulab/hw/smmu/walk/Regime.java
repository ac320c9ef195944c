package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.hw.smmu.tlb.CacheTag;

/**
 * Everything one stage's walk needs, decoded from the CD (stage 1) or the STE (stage 2).
 *
 * @param stage which stage's descriptor format and fault rules apply
 * @param granule the translation granule
 * @param startLevel the level of the root table (0..3)
 * @param inputBits the input size: inputs are below {@code 2^inputBits} (after the stage-1 upper
 *     bits have been checked)
 * @param outputBits the output size: table and output addresses at or above {@code 2^outputBits}
 *     raise an address size fault
 * @param rootTable the root table address, aligned down to the root table's size; for stage 2 the
 *     first of up to 16 concatenated tables
 * @param accessFlagFaults whether a descriptor with AF = 0 faults (CD.AFFD or STE.S2AFFD clear)
 * @param hierarchicalAttributes whether APTable, PXNTable and UXNTable apply (CD.HADx clear; always
 *     false for stage 2, whose table descriptors carry no such bits)
 * @param walkCacheTag the tag of the walk-cache entries this walk reads and makes
 * @param faultClass CLASS of the translation, address size, access and permission faults of this
 *     walk
 * @param abortClass CLASS of an external abort fetching one of this walk's descriptors
 */
record Regime(
    Stage stage,
    Granule granule,
    int startLevel,
    int inputBits,
    int outputBits,
    long rootTable,
    boolean accessFlagFaults,
    boolean hierarchicalAttributes,
    CacheTag walkCacheTag,
    int faultClass,
    int abortClass) {

  /** How many input bits the root level resolves (more than a stride when tables concatenate). */
  int rootIndexBits() {
    return inputBits - granule.levelShift(startLevel);
  }

  /** Whether {@code address} is at or above the output size. */
  boolean exceedsOutput(long address) {
    return outputBits < 64 && (address >>> outputBits) != 0;
  }
}
