package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.pte.Granule;

/** Rebuilds every KUnit STE from its field table and compares the eight qwords exactly. */
class SteKunitImagesTest {
  private static final KunitEntries ENTRIES = new KunitEntries();

  static Stream<String> steEntries() {
    return ENTRIES.names().stream().filter(ENTRIES::isSte);
  }

  @Test
  void theVectorsHoldTheTenKunitStes() {
    assertThat(steEntries())
        .containsExactlyInAnyOrder(
            "abort_ste",
            "bypass_ste",
            "cdtable_ssid0_ats",
            "cdtable_s1dssbypass_ats",
            "cdtable_s1dssbypass_altptr_ats",
            "s2_ats",
            "cdtable_ssid0_stall",
            "s2_stall",
            "nested_s1dssbypass_ats",
            "s2_plain");
  }

  @ParameterizedTest
  @MethodSource("steEntries")
  void rebuiltFromItsFieldTableMatchesTheKunitImage(String name) {
    long[] rebuilt = ENTRIES.rebuild(name);
    assertThat(Layout.hex(rebuilt)).as(name).isEqualTo(Layout.hex(ENTRIES.expected(name)));
    assertThat(Ste.decode(ENTRIES.expected(name)).toQwords()).isEqualTo(rebuilt);
  }

  @Test
  void s1CdMaxOf0xFfTruncatesTo31LikeFieldPrep() {
    Ste ste = Ste.builder().set(SteFields.S1_CD_MAX, 0xFF).build();
    assertThat(ste.s1CdMax()).isEqualTo(31);
    assertThat(ste.qword(0)).isEqualTo(0xF800_0000_0000_0000L);
  }

  @Test
  void checkedBuilderRejectsS1CdMax0xFfNamingTheField() {
    assertThatThrownBy(() -> Ste.checkedBuilder().set(SteFields.S1_CD_MAX, 0xFF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STE.S1CDMax")
        .hasMessageContaining("0xff")
        .hasMessageContaining("q0[63:59]");
  }

  @Test
  void checkedBuilderRejectsAContextPointerWithLowBitsSet() {
    assertThatThrownBy(() -> Ste.checkedBuilder().set(SteFields.S1_CONTEXT_PTR, 0xF0F0F0F0F0F0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S1ContextPtr");
    assertThat(
            Ste.checkedBuilder()
                .set(SteFields.S1_CONTEXT_PTR, 0xF0F0F0F0F0C0L)
                .build()
                .s1ContextPtr())
        .isEqualTo(0xF0F0F0F0F0C0L);
  }

  @Test
  void typedAccessorsReadTheS2Entry() {
    Ste s2 = Ste.decode(ENTRIES.expected("s2_ats"));
    assertThat(s2.valid()).isTrue();
    assertThat(s2.config()).isEqualTo(StreamConfig.S2_TRANSLATE);
    assertThat(s2.eats()).isEqualTo(SteFields.EATS_FULL);
    assertThat(s2.shcfg()).isEqualTo(SteFields.SHCFG_INCOMING);
    assertThat(s2.s2Vmid()).isZero();
    assertThat(s2.vtcr()).isEqualTo(0x1B6C4);
    assertThat(s2.s2T0sz()).isEqualTo(4);
    assertThat(s2.s2Sl0()).isEqualTo(3);
    assertThat(s2.s2Granule()).isEqualTo(Granule.SIZE_16K);
    assertThat(s2.s2Ps()).isEqualTo(1);
    assertThat(s2.s2OutputBits()).isEqualTo(36);
    assertThat(s2.s2Aa64()).isTrue();
    assertThat(s2.s2BigEndian()).isFalse();
    assertThat(s2.s2ProtectedTableWalk()).isTrue();
    assertThat(s2.s2Record()).isTrue();
    assertThat(s2.s2Stall()).isFalse();
    assertThat(s2.s2Ttb()).isEqualTo(0x000d_beef_dead_bee0L);
    assertThat(Ste.decode(ENTRIES.expected("s2_stall")).s2Stall()).isTrue();
  }

  @Test
  void typedAccessorsReadTheNestedEntry() {
    Ste nested = Ste.decode(ENTRIES.expected("nested_s1dssbypass_ats"));
    assertThat(nested.config()).isEqualTo(StreamConfig.NESTED);
    assertThat(nested.config().s1Translates()).isTrue();
    assertThat(nested.config().s2Translates()).isTrue();
    assertThat(nested.s1Fmt()).isEqualTo(SteFields.S1FMT_2LVL_64K);
    assertThat(nested.s1ContextPtr()).isEqualTo(0xF0F0F0F0F0C0L);
    assertThat(nested.s1CdMax()).isEqualTo(31);
    assertThat(nested.s1Dss()).isEqualTo(SteFields.S1DSS_BYPASS);
    assertThat(nested.s1StallDisabled()).isTrue();
    assertThat(nested.mergeEvents()).isTrue();
    assertThat(nested.strw()).isEqualTo(SteFields.STRW_NS_EL1);
    assertThat(nested.s2ForceWriteBack()).isFalse();
    assertThat(nested.s2Ttb()).isEqualTo(0x000d_beef_dead_bee0L);
  }
}
