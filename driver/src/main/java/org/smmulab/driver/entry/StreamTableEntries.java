package org.smmulab.driver.entry;

import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.driver.pgtable.Vtcr;

/**
 * Builds the STEs the driver installs, field for field as Linux's {@code arm_smmu_make_*_ste}
 * helpers do (the KUnit images in the shared vectors are the check). Pure functions; the result is
 * handed to the {@link EntryWriter}.
 */
public final class StreamTableEntries {
  /** Cacheability of CD fetches: write-back, read-allocate. */
  private static final int CD_FETCH_WBRA = 1;

  /** Shareability of CD fetches: inner shareable. */
  private static final int CD_FETCH_ISH = 3;

  private StreamTableEntries() {}

  /** An STE that terminates every transaction silently (Linux {@code arm_smmu_make_abort_ste}). */
  public static Ste abort() {
    return Ste.builder()
        .set(SteFields.V, 1)
        .set(SteFields.CONFIG, StreamConfig.ABORT.encoding())
        .build();
  }

  /** An STE that lets every transaction through untranslated. */
  public static Ste bypass(EntryOptions options) {
    var b = Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, StreamConfig.BYPASS.encoding());
    if (options.attrTypesOverride()) {
      b.set(SteFields.SHCFG, SteFields.SHCFG_INCOMING);
    }
    return b.build();
  }

  /**
   * A stage-1 STE pointing at a CD table (Linux {@code arm_smmu_make_cdtable_ste}).
   *
   * @param cdTable physical address of the CD table or of its level-1 table
   * @param s1Fmt {@link SteFields#S1FMT_LINEAR} or {@link SteFields#S1FMT_2LVL_64K}
   * @param s1CdMax log2 of the number of CDs (truncated to its 5-bit field, as FIELD_PREP does)
   * @param s1Dss what transactions without SubstreamID use: {@link SteFields#S1DSS_SSID0} or {@link
   *     SteFields#S1DSS_BYPASS}
   * @param ats whether the master uses ATS (EATS = translate)
   * @param stallEnabled whether the master can stall; without it, an instance that supports stalls
   *     gets S1STALLD
   */
  public static Ste cdTable(
      EntryOptions options,
      long cdTable,
      int s1Fmt,
      int s1CdMax,
      int s1Dss,
      boolean ats,
      boolean stallEnabled) {
    var b =
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.CONFIG, StreamConfig.S1_TRANSLATE.encoding())
            .set(SteFields.S1_FMT, s1Fmt)
            .set(SteFields.S1_CONTEXT_PTR, cdTable)
            .set(SteFields.S1_CD_MAX, s1CdMax)
            .set(SteFields.S1_DSS, s1Dss)
            .set(SteFields.S1_CIR, CD_FETCH_WBRA)
            .set(SteFields.S1_COR, CD_FETCH_WBRA)
            .set(SteFields.S1_CSH, CD_FETCH_ISH)
            .set(SteFields.EATS, ats ? SteFields.EATS_FULL : SteFields.EATS_ABORT)
            .set(SteFields.STRW, options.e2h() ? SteFields.STRW_EL2 : SteFields.STRW_NS_EL1);
    if (options.stallsSupported() && !stallEnabled) {
      b.set(SteFields.S1_STALLD, 1);
    }
    if (options.attrTypesOverride() && s1Dss == SteFields.S1DSS_BYPASS) {
      b.set(SteFields.SHCFG, SteFields.SHCFG_INCOMING);
    }
    return b.build();
  }

  /**
   * A stage-2 STE for a paging domain (Linux {@code arm_smmu_make_s2_domain_ste}).
   *
   * @param vttbr physical address of the stage-2 root table
   * @param vtcr the table's translation controls
   * @param vmid the domain's VMID on this instance (its cache tag)
   * @param ats whether the master uses ATS
   * @param stallEnabled whether the master can stall (S2S)
   * @param forceWriteBack S2FWB
   */
  public static Ste s2Domain(
      EntryOptions options,
      long vttbr,
      Vtcr vtcr,
      int vmid,
      boolean ats,
      boolean stallEnabled,
      boolean forceWriteBack) {
    var b =
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.CONFIG, StreamConfig.S2_TRANSLATE.encoding())
            .set(SteFields.EATS, ats ? SteFields.EATS_FULL : SteFields.EATS_ABORT)
            .set(SteFields.S2_FWB, forceWriteBack)
            .set(SteFields.S2_VMID, vmid)
            .set(SteFields.S2_T0SZ, vtcr.tsz())
            .set(SteFields.S2_SL0, vtcr.sl())
            .set(SteFields.S2_IR0, vtcr.irgn())
            .set(SteFields.S2_OR0, vtcr.orgn())
            .set(SteFields.S2_SH0, vtcr.sh())
            .set(SteFields.S2_TG, vtcr.tg())
            .set(SteFields.S2_PS, vtcr.ps())
            .set(SteFields.S2_AA64, 1)
            .set(SteFields.S2_PTW, 1)
            .set(SteFields.S2_R, 1)
            .set(SteFields.S2_S, stallEnabled)
            .set(SteFields.S2_TTB, vttbr);
    if (options.attrTypesOverride()) {
      b.set(SteFields.SHCFG, SteFields.SHCFG_INCOMING);
    }
    return b.build();
  }
}
