package org.smmulab.hw.smmu.walk;

import org.smmulab.arch.event.EventType;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.ste.Ste;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.CacheTag;
import org.smmulab.hw.smmu.txn.TranslationFault;

/**
 * Decodes the stage-2 regime from the STE and checks an IPA against it.
 *
 * <p>Start level from S2SL0 and S2TG: 4K 0/1/2 = L2/L1/L0, 16K and 64K 0/1/2 = L3/L2/L1; 3 is
 * reserved. The root level resolves every IPA bit above the next level, so when the IPA size
 * exceeds what one root table resolves, 2..16 concatenated tables starting at S2TTB are used (the
 * table number being the IPA bits above the root level's stride). An IPA at or above {@code 2^(64 -
 * S2T0SZ)} is a stage-2 F_TRANSLATION.
 *
 * <p>STE values the configuration stage should already have refused with C_BAD_STE (reserved S2SL0
 * or S2TG, an IPA size needing more than 16 concatenated root tables or fewer input bits than the
 * root level starts at) are met here as stage-2 translation faults, never Java exceptions. A
 * reserved S2PS counts as the instance's OAS; an S2PS above the OAS is capped at it.
 */
final class Stage2Regime {
  private static final int MAX_CONCATENATION_BITS = 4;

  private Stage2Regime() {}

  /**
   * The stage-2 regime of {@code stream}, for translating {@code ipa}; faults carry {@code
   * eventClass} and {@code ipa}.
   */
  static Regime forIpa(
      ResolvedStream stream, long ipa, int eventClass, int oasBits, FaultReporter faults)
      throws TranslationFault {
    Ste ste = stream.ste();
    Granule granule = ste.s2Granule();
    if (granule == null) {
      throw translation(faults, eventClass, ipa, "reserved S2TG");
    }
    if (ste.s2Sl0() == 3) {
      throw translation(faults, eventClass, ipa, "reserved S2SL0 (the STE should be refused)");
    }
    int startLevel = (granule == Granule.SIZE_4K ? 2 : 3) - ste.s2Sl0();
    int inputBits = 64 - ste.s2T0sz();
    int rootIndexBits = inputBits - granule.levelShift(startLevel);
    if (rootIndexBits < 1 || rootIndexBits > granule.stride() + MAX_CONCATENATION_BITS) {
      throw translation(
          faults,
          eventClass,
          ipa,
          "S2T0SZ " + ste.s2T0sz() + " inconsistent with start level " + startLevel);
    }
    if ((ipa >>> inputBits) != 0) {
      throw translation(faults, eventClass, ipa, "IPA beyond S2T0SZ");
    }
    int ps = ste.s2OutputBits();
    return new Regime(
        Stage.STAGE_2,
        granule,
        startLevel,
        inputBits,
        ps < 0 ? oasBits : Math.min(ps, oasBits),
        ste.s2Ttb() & (-1L << (rootIndexBits + 3)),
        !ste.s2AccessFlagFaultDisabled(),
        false,
        new CacheTag(stream.world(), CacheTag.Kind.STAGE2, stream.vmid(), 0, false),
        eventClass,
        eventClass);
  }

  private static TranslationFault translation(
      FaultReporter faults, int eventClass, long ipa, String reason) {
    return faults.fault(Stage.STAGE_2, EventType.F_TRANSLATION, eventClass, ipa, reason);
  }
}
