package org.smmulab.driver.invs;

/**
 * The kind of one invalidation (Linux {@code enum arm_smmu_inv_type}). The declaration order is the
 * sort order of an {@link InvalidationArray} after the SMMU instance, and therefore the order in
 * which one instance's commands reach its queue: stage-2 TLB invalidations before the stage-1 clear
 * of the same VMID, and every IOTLB invalidation before any ATC invalidation, so that a device
 * cannot refill its ATC from a stale IOTLB entry.
 *
 * <p>{@link #S2_VMID_VSMMU} belongs to the cache-tag design (a VMID owned by a virtual SMMU) and is
 * not in the mainline kernel enum. It is placed between {@link #S2_VMID} and {@link
 * #S2_VMID_S1_CLEAR}; the kernel's numbering (and the KUnit vectors' {@code types_enum_order}) skip
 * it: S1_ASID 0, S2_VMID 1, S2_VMID_S1_CLEAR 2, ATS 3, ATS_FULL 4. Only the relative order matters
 * here, never {@link #ordinal()}.
 */
public enum InvalidationType {
  /** Stage-1 TLB invalidation by ASID (paging stage-1 and SVA domains). */
  S1_ASID,
  /** Stage-2 TLB invalidation by VMID. */
  S2_VMID,
  /** Stage-2 TLB invalidation by a VMID that a virtual SMMU owns; same commands as S2_VMID. */
  S2_VMID_VSMMU,
  /** Nesting parent: remove every guest stage-1 TLB entry tagged with the VMID. */
  S2_VMID_S1_CLEAR,
  /** Device ATC invalidation for one StreamID and one substream ID, by range. */
  ATS,
  /** Device ATC invalidation for one StreamID, the whole ATC, any PASID (nesting). */
  ATS_FULL;

  /**
   * Whether this is an ATC invalidation sent to a PCIe device (Linux {@code arm_smmu_inv_is_ats}).
   * Such entries carry a substream ID, which is a sort key for them, and make the walker take the
   * ATS fence.
   */
  public boolean isAts() {
    return this == ATS || this == ATS_FULL;
  }
}
