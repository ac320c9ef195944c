package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.pte.Granule;

/**
 * The block or page descriptor one stage's walk ended at, with the hierarchical restrictions of the
 * table descriptors above it.
 *
 * @param descriptor the raw leaf descriptor
 * @param level its level (1..3)
 * @param granule the walk's granule
 * @param outputAddress the output address of the walked input address (leaf base plus offset)
 * @param apTable accumulated APTable: bit 1 no writes below, bit 0 no unprivileged access below
 * @param pxnTable accumulated PXNTable
 * @param uxnTable accumulated UXNTable
 */
record Leaf(
    long descriptor,
    int level,
    Granule granule,
    long outputAddress,
    int apTable,
    boolean pxnTable,
    boolean uxnTable) {

  /** log2 of the bytes the leaf maps. */
  int sizeShift() {
    return granule.levelShift(level);
  }
}
