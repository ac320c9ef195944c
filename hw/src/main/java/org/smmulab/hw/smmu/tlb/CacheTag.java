package org.smmulab.hw.smmu.tlb;

/**
 * How a TLB or walk-cache entry is tagged, which decides which TLBI commands remove it.
 *
 * @param world the translation regime that made the entry
 * @param kind stage 1 only, stage 2 only, or combined stage 1 + stage 2
 * @param vmid the STE's S2VMID (kept for stage-1-only entries too, as the architecture tags them
 *     when stage 2 is implemented; 0 when it is not)
 * @param asid the CD's ASID for stage-1 and combined entries; 0 for stage-2 entries
 * @param global whether a stage-1 leaf had nG = 0, so it matches every ASID
 */
public record CacheTag(World world, Kind kind, int vmid, int asid, boolean global) {
  /** The regime an entry belongs to (STE.STRW). */
  public enum World {
    /** Non-secure EL1 (STRW = 0): guarded by VMID, invalidated by TLBI_NH_* and S12_VMALL. */
    NS_EL1,
    /** EL2 or EL2-E2H (STRW = 2): no VMID, invalidated by TLBI_EL2_*. */
    EL2
  }

  /** Which stages produced the entry. */
  public enum Kind {
    /** Stage 1 only (stage 2 bypassed): input is a VA, output a PA. */
    STAGE1,
    /** Stage 2 only: input is an IPA. */
    STAGE2,
    /** Nested: input is a VA, output the final PA; removed by NH_* and S12_VMALL, not S2_IPA. */
    NESTED
  }

  /** Whether a lookup for ({@code asidWanted}) may use an entry with this tag's ASID. */
  public boolean matchesAsid(int asidWanted) {
    return global || asid == asidWanted;
  }
}
