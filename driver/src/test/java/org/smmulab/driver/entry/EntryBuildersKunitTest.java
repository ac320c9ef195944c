package org.smmulab.driver.entry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cd.Cd;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.testing.SharedVectors;
import org.smmulab.driver.pgtable.Tcr;
import org.smmulab.driver.pgtable.Vtcr;

/**
 * The STE and CD builders against the KUnit test device's images: FEAT_STALLS and
 * FEAT_ATTR_TYPES_OVR, little endian, no E2H.
 */
class EntryBuildersKunitTest {
  private static final EntryOptions KUNIT_DEVICE = new EntryOptions(true, true, false);
  private static final long CD_TABLE = 0xF0F0F0F0F0F0L;
  private static final long TTB = 0xdaedbeefdeadbeefL;
  private static final Vtcr KUNIT_VTCR = new Vtcr(4, 3, 2, 1, 3, 2, 1);
  private static final Tcr KUNIT_TCR = new Tcr(4, 2, 1, 3, 2, 1);
  private static final long KUNIT_MAIR = 0x0abcdef012345678L;

  private static long[] image(String name) {
    return SharedVectors.qwords(KunitEntries.VECTORS.get("entries").get(name).get("qwords"));
  }

  @Test
  void abortAndBypass() {
    assertThat(StreamTableEntries.abort().toQwords()).isEqualTo(image("abort_ste"));
    assertThat(StreamTableEntries.bypass(KUNIT_DEVICE).toQwords()).isEqualTo(image("bypass_ste"));
    assertThat(StreamTableEntries.bypass(EntryOptions.PLAIN).toQwords()[1])
        .as("no SHCFG without ATTR_TYPES_OVR")
        .isZero();
  }

  @Test
  void cdTableStes() {
    assertThat(cdTable(SteFields.S1DSS_SSID0, CD_TABLE, true, false))
        .isEqualTo(image("cdtable_ssid0_ats"));
    assertThat(cdTable(SteFields.S1DSS_BYPASS, CD_TABLE, true, false))
        .isEqualTo(image("cdtable_s1dssbypass_ats"));
    assertThat(cdTable(SteFields.S1DSS_BYPASS, 0x4B4B4B4B4BL, true, false))
        .isEqualTo(image("cdtable_s1dssbypass_altptr_ats"));
    assertThat(cdTable(SteFields.S1DSS_SSID0, CD_TABLE, false, true))
        .isEqualTo(image("cdtable_ssid0_stall"));
  }

  private static long[] cdTable(int s1Dss, long table, boolean ats, boolean stall) {
    Ste ste =
        StreamTableEntries.cdTable(
            KUNIT_DEVICE, table, SteFields.S1FMT_2LVL_64K, 0xFF, s1Dss, ats, stall);
    return ste.toQwords();
  }

  @Test
  void stageTwoStes() {
    assertThat(s2(true, false)).isEqualTo(image("s2_ats"));
    assertThat(s2(false, true)).isEqualTo(image("s2_stall"));
    assertThat(s2(false, false)).isEqualTo(image("s2_plain"));
  }

  private static long[] s2(boolean ats, boolean stall) {
    return StreamTableEntries.s2Domain(KUNIT_DEVICE, TTB, KUNIT_VTCR, 0, ats, stall, false)
        .toQwords();
  }

  @Test
  void stageOneCds() {
    Cd cd1997 = ContextDescriptors.s1Domain(1997, TTB, KUNIT_TCR, KUNIT_MAIR, false);
    Cd cd778 = ContextDescriptors.s1Domain(778, TTB, KUNIT_TCR, KUNIT_MAIR, false);
    assertThat(cd1997.toQwords()).isEqualTo(image("s1_cd_asid1997"));
    assertThat(cd778.toQwords()).isEqualTo(image("s1_cd_asid778"));
  }
}
