package org.smmulab.peer.diff;

/** How a difference between the two peers is judged. */
public enum Verdict {
  /**
   * A deviation of QEMU's SMMUv3 listed in the hardware-model facts (section 8); labelled, does not
   * fail a run.
   */
  KNOWN_QEMU_DEVIATION,
  /**
   * Explained by something outside the SMMU, checked in detail (for example how QEMU's memory core
   * splits a failed DMA); does not fail a run.
   */
  EXPLAINED,
  /** Nothing explains it: a bug on one side, or a QEMU behaviour nobody has described yet. */
  UNEXPLAINED
}
