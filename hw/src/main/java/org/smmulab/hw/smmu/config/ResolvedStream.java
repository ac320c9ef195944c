package org.smmulab.hw.smmu.config;

import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.ste.Ste;
import org.smmulab.hw.smmu.tlb.CacheTag;

/**
 * The configuration one transaction resolved to after the STE, the SubstreamID rules (S1CDMax,
 * S1DSS) and the CD were checked: what the walker needs and nothing it must look up again.
 *
 * @param mode abort, bypass or translate
 * @param ste the stream's STE
 * @param cd the CD used for stage 1, or {@code null} when stage 1 does not translate (stage-2-only
 *     streams, S1DSS = bypass for transactions without SubstreamID)
 * @param stage1 whether stage 1 translates this transaction
 * @param stage2 whether stage 2 translates this transaction
 * @param world the regime (STE.STRW)
 * @param vmid STE.S2VMID (0 when stage 2 is not implemented)
 * @param asid the CD's ASID (0 without a CD)
 */
public record ResolvedStream(
    Mode mode,
    Ste ste,
    Cd cd,
    boolean stage1,
    boolean stage2,
    CacheTag.World world,
    int vmid,
    int asid) {

  /** What to do with the transaction. */
  public enum Mode {
    /** Terminate silently (STE Config = abort). */
    ABORT,
    /** Pass through untranslated (STE bypass, or both stages bypassed). */
    BYPASS,
    /** Translate with the enabled stages. */
    TRANSLATE
  }

  /** The cache kind of the entries this stream makes. */
  public CacheTag.Kind kind() {
    if (stage1 && stage2) {
      return CacheTag.Kind.NESTED;
    }
    return stage1 ? CacheTag.Kind.STAGE1 : CacheTag.Kind.STAGE2;
  }
}
