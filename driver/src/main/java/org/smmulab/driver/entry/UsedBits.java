package org.smmulab.driver.entry;

import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;

/**
 * Which bits of an STE or CD the SMMU reads, and which STE bits may change while still read,
 * following the rules of the Linux arm-smmu-v3 driver.
 *
 * <p>All functions take and return eight qwords (qword 0 first), accept every bit pattern and
 * depend only on the entries they are given. Returned arrays are fresh and owned by the caller.
 */
public final class UsedBits {
  /** Number of qwords in an STE or a CD. */
  public static final int QWORDS = 8;

  private static final int CONFIG_S1_BIT = 1;
  private static final int CONFIG_S2_BIT = 2;

  private UsedBits() {}

  /**
   * The bits of an STE the SMMU reads.
   *
   * <p>V is always read; when V is 1 so is Config. Config bit 0 (stage 1 translates: Config 5 and
   * 7) adds the CD-table pointer and format, the stage-1 fields of qword 1, the VMID, and SHCFG
   * when S1DSS is bypass. Config bit 1 (stage 2 translates: 6 and 7) adds the stage-2 fields of
   * qwords 1 to 3. Config 4 (bypass) adds SHCFG. Like Linux the decision tests the Config bits, so
   * the reserved encodings 1 to 3 count as translating configurations.
   *
   * @param ste eight qwords
   * @return the used-bit mask, eight qwords
   */
  public static long[] ste(long[] ste) {
    checkLength(ste, "ste");
    long[] used = new long[QWORDS];
    used[0] = SteFields.V.mask();
    if (SteFields.V.get(ste) == 0) {
      return used;
    }
    used[0] |= SteFields.CONFIG.mask();
    long config = SteFields.CONFIG.get(ste);
    if ((config & CONFIG_S1_BIT) != 0) {
      used[0] |=
          SteFields.S1_FMT.mask() | SteFields.S1_CONTEXT_PTR.mask() | SteFields.S1_CD_MAX.mask();
      used[1] |=
          SteFields.S1_DSS.mask()
              | SteFields.S1_CIR.mask()
              | SteFields.S1_COR.mask()
              | SteFields.S1_CSH.mask()
              | SteFields.S1_STALLD.mask()
              | SteFields.STRW.mask()
              | SteFields.EATS.mask()
              | SteFields.MEV.mask()
              | SteFields.INSTCFG.mask();
      used[2] |= SteFields.S2_VMID.mask();
      if (SteFields.S1_DSS.get(ste) == SteFields.S1DSS_BYPASS) {
        used[1] |= SteFields.SHCFG.mask();
      }
    }
    if ((config & CONFIG_S2_BIT) != 0) {
      used[1] |=
          SteFields.S2_FWB.mask()
              | SteFields.EATS.mask()
              | SteFields.SHCFG.mask()
              | SteFields.MEV.mask()
              | SteFields.INSTCFG.mask();
      used[2] |=
          SteFields.S2_VMID.mask()
              | SteFields.VTCR.mask()
              | SteFields.S2_AA64.mask()
              | SteFields.S2_ENDI.mask()
              | SteFields.S2_PTW.mask()
              | SteFields.S2_S.mask()
              | SteFields.S2_R.mask();
      used[3] |= SteFields.S2_TTB.mask();
    }
    if (config == StreamConfig.BYPASS.encoding()) {
      used[1] |= SteFields.SHCFG.mask();
    }
    return used;
  }

  /**
   * The STE bits that may change in place even while both the current and the target entry read
   * them, as a function of both entries.
   *
   * <p>MEV only affects how fault records are merged, so it is always safe. EATS value 1 (full ATS)
   * is safe while ATS is held off at the PCI level, unless either entry has the split-stage (S1CHK)
   * bit of EATS or S2S set: EATS 1 with S2S 1 is an illegal STE, and combining with S1CHK could
   * pass through the reserved value 3.
   *
   * @param current eight qwords, the entry now in memory
   * @param target eight qwords, the entry to install
   * @return the update-safe mask, eight qwords
   */
  public static long[] steUpdateSafe(long[] current, long[] target) {
    checkLength(current, "current");
    checkLength(target, "target");
    long[] safe = new long[QWORDS];
    long eatsFull = SteFields.EATS.insert(0, SteFields.EATS_FULL);
    long eatsS1chk = SteFields.EATS.insert(0, SteFields.EATS_SPLIT_S1CHK);
    int q1 = SteFields.EATS.qword();
    int q2 = SteFields.S2_S.qword();
    boolean s1chk = ((current[q1] | target[q1]) & eatsS1chk) != 0;
    boolean s2Stall = ((current[q2] | target[q2]) & SteFields.S2_S.mask()) != 0;
    if (!s1chk && !s2Stall) {
      safe[q1] |= eatsFull;
    }
    safe[SteFields.MEV.qword()] |= SteFields.MEV.mask();
    return safe;
  }

  /**
   * The bits of a CD the SMMU reads.
   *
   * <p>With V 0 only V is read. With V 1 every bit of all eight qwords counts as read, except that
   * EPD0 1 disables the TTB0 walk, so T0SZ, TG0, IR0, OR0, SH0 and TTB0 are then unused.
   *
   * @param cd eight qwords
   * @return the used-bit mask, eight qwords
   */
  public static long[] cd(long[] cd) {
    checkLength(cd, "cd");
    long[] used = new long[QWORDS];
    if (CdFields.V.get(cd) == 0) {
      used[CdFields.V.qword()] = CdFields.V.mask();
      return used;
    }
    java.util.Arrays.fill(used, -1L);
    if (CdFields.EPD0.get(cd) != 0) {
      used[0] &=
          ~(CdFields.T0SZ.mask()
              | CdFields.TG0.mask()
              | CdFields.IR0.mask()
              | CdFields.OR0.mask()
              | CdFields.SH0.mask());
      used[CdFields.TTB0.qword()] &= ~CdFields.TTB0.mask();
    }
    return used;
  }

  static void checkLength(long[] entry, String what) {
    if (entry == null || entry.length != QWORDS) {
      throw new IllegalArgumentException(
          what
              + ": expected "
              + QWORDS
              + " qwords, got "
              + (entry == null ? "null" : String.valueOf(entry.length)));
    }
  }
}
