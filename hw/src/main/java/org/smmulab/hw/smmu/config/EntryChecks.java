package org.smmulab.hw.smmu.config;

import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.smmu.SmmuConfig;

/**
 * The ILLEGAL configurations of the Arm SMMUv3 STE and CD descriptions, for this instance: an entry
 * that is ILLEGAL behaves as an invalid one (C_BAD_STE, C_BAD_CD). Each check returns {@code null}
 * for a usable entry, or a short reason for traces. Fields that a disabled stage makes IGNORED are
 * not checked. The instance has AArch64 tables only, little-endian only, no stalls (STALL_MODEL
 * terminate), no HTTU and no small translation tables, which makes several fields ILLEGAL when set.
 */
final class EntryChecks {
  private static final int MIN_TXSZ = 16;
  private static final int MAX_TXSZ = 39;
  private static final int MAX_CONCATENATED_TABLE_BITS = 4;

  private EntryChecks() {}

  /** Why {@code ste} is unusable, or {@code null}. */
  static String steProblem(Ste ste, SmmuConfig config) {
    if (!ste.valid()) {
      return "STE.V is 0";
    }
    StreamConfig streamConfig = ste.config();
    if (!streamConfig.passesTraffic()) {
      return null;
    }
    boolean s1 = streamConfig.s1Translates();
    boolean s2 = streamConfig.s2Translates();
    if (s1 && !config.stage1()) {
      return "stage 1 selected but not implemented";
    }
    if (s2 && !config.stage2()) {
      return "stage 2 selected but not implemented";
    }
    if (s1) {
      String problem = stage1Problem(ste, config, s2);
      if (problem != null) {
        return problem;
      }
    }
    if (s2) {
      String problem = stage2Problem(ste, config);
      if (problem != null) {
        return problem;
      }
    }
    if ((s1 || s2) && config.stage2() && !config.vmid16() && (ste.s2Vmid() & 0xFF00) != 0) {
      return "S2VMID above 8 bits without VMID16";
    }
    if (config.ats() && ste.eats() == SteFields.EATS_SPLIT_S1CHK && !(s1 && s2)) {
      return "EATS split-stage without nested translation";
    }
    return null;
  }

  private static String stage1Problem(Ste ste, SmmuConfig config, boolean s2) {
    if (config.ssidBits() > 0 && ste.s1CdMax() > config.ssidBits()) {
      return "S1CDMax " + ste.s1CdMax() + " above SSIDSIZE " + config.ssidBits();
    }
    int fmt = ste.s1Fmt();
    if (config.ssidBits() > 0 && ste.s1CdMax() > 0 && !config.cd2l() && (fmt == 1 || fmt == 2)) {
      return "two-level CD table without CD2L";
    }
    if (ste.s1StallDisabled()) {
      return "S1STALLD set but the stall model is not configurable";
    }
    if (!s2 && config.hyp() && (ste.strw() & 1) != 0) {
      return "reserved STRW " + ste.strw();
    }
    return null;
  }

  private static String stage2Problem(Ste ste, SmmuConfig config) {
    if (!ste.s2Aa64()) {
      return "S2AA64 selects AArch32 tables, which are not implemented";
    }
    if (ste.s2BigEndian()) {
      return "S2ENDI selects big-endian tables, which are not implemented";
    }
    Granule granule = ste.s2Granule();
    if (granule == null || !config.granules().contains(granule)) {
      return "S2TG selects a granule the instance does not support";
    }
    if (ste.s2HardwareAccessFlag() || ste.s2HardwareDirty()) {
      return "S2HA/S2HD set without HTTU";
    }
    if (ste.s2Stall()) {
      return "S2S set but stalls are not supported";
    }
    int t0sz = ste.s2T0sz();
    int min = Math.max(MIN_TXSZ, 64 - config.oasBits());
    if (t0sz < min || t0sz > MAX_TXSZ) {
      return "S2T0SZ " + t0sz + " outside " + min + ".." + MAX_TXSZ;
    }
    if (ste.s2Sl0() == 3) {
      return "reserved S2SL0";
    }
    int startLevel = (granule == Granule.SIZE_4K ? 2 : 3) - ste.s2Sl0();
    int rootBits = 64 - t0sz - granule.levelShift(startLevel);
    if (startLevel < 0
        || rootBits < 1
        || rootBits > granule.stride() + MAX_CONCATENATED_TABLE_BITS) {
      return "S2SL0 " + ste.s2Sl0() + " inconsistent with S2T0SZ " + t0sz + " and " + granule;
    }
    return null;
  }

  /** Why {@code cd} is unusable, or {@code null}. */
  static String cdProblem(Cd cd, SmmuConfig config) {
    if (!cd.valid()) {
      return "CD.V is 0";
    }
    if (!cd.aa64()) {
      return "AA64 is 0: AArch32 tables are not implemented";
    }
    if (cd.bigEndian()) {
      return "ENDI selects big-endian tables, which are not implemented";
    }
    if (!cd.epd0()) {
      String problem = halfProblem("TTB0", cd.granule0(), cd.t0sz(), config);
      if (problem != null) {
        return problem;
      }
    }
    if (!cd.epd1()) {
      String problem = halfProblem("TTB1", cd.granule1(), cd.t1sz(), config);
      if (problem != null) {
        return problem;
      }
    }
    if (cd.hardwareAccessFlag() || cd.hardwareDirty()) {
      return "HA/HD set without HTTU";
    }
    if (cd.stall()) {
      return "S set but stalls are not supported";
    }
    if (!cd.abortOnTerminate()) {
      return "A is 0 but terminated transactions always abort (TERM_MODEL 1)";
    }
    if (!config.asid16() && (cd.asid() & 0xFF00) != 0) {
      return "ASID above 8 bits without ASID16";
    }
    return null;
  }

  private static String halfProblem(String half, Granule granule, int txsz, SmmuConfig config) {
    if (granule == null || !config.granules().contains(granule)) {
      return half + " granule not supported";
    }
    if (txsz < MIN_TXSZ || txsz > MAX_TXSZ) {
      return half + " TxSZ " + txsz + " outside " + MIN_TXSZ + ".." + MAX_TXSZ;
    }
    return null;
  }
}
