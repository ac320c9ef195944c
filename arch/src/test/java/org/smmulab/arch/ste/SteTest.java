package org.smmulab.arch.ste;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.testing.SharedVectors;

/** Examples of STE decoding, building and describing, with the words the CLI prints. */
class SteTest {
  private static final KunitEntries ENTRIES = new KunitEntries();

  @Test
  void bypassSteDescribesItsThreeFields() {
    Ste bypass =
        Ste.builder()
            .set(SteFields.V, 1)
            .set(SteFields.CONFIG, StreamConfig.BYPASS.encoding())
            .set(SteFields.SHCFG, SteFields.SHCFG_INCOMING)
            .build();
    assertThat(bypass.toQwords()).isEqualTo(ENTRIES.expected("bypass_ste"));
    assertThat(bypass.describe()).isEqualTo("STE V=1 Config=bypass SHCFG=incoming");
    assertThat(bypass.config()).isEqualTo(StreamConfig.BYPASS);
  }

  @Test
  void abortSteShowsOnlyVBecauseConfigAbortIsZero() {
    Ste abort = Ste.decode(ENTRIES.expected("abort_ste"));
    assertThat(abort.describe()).isEqualTo("STE V=1");
    assertThat(abort.valid()).isTrue();
    assertThat(abort.config()).isEqualTo(StreamConfig.ABORT);
  }

  @Test
  void cdTableSteDescribesItsStage1Fields() {
    assertThat(Ste.decode(ENTRIES.expected("cdtable_ssid0_ats")).describe())
        .isEqualTo(
            "STE V=1 Config=s1-translate S1Fmt=2lvl-64k S1ContextPtr=0xf0f0f0f0f0c0 S1CDMax=0x1f"
                + " S1DSS=ssid0 S1CIR=wbra S1COR=wbra S1CSH=ish S1STALLD=1 EATS=full");
  }

  @Test
  void s2SteDescribesItsVtcrFieldByField() {
    assertThat(Ste.decode(ENTRIES.expected("s2_ats")).describe())
        .isEqualTo(
            "STE V=1 Config=s2-translate EATS=full SHCFG=incoming S2T0SZ=4 S2SL0=3 S2IR0=wt"
                + " S2OR0=wbwa S2SH0=ish S2TG=16K S2PS=36-bit S2AA64=1 S2PTW=1 S2R=1"
                + " S2TTB=0xdbeefdeadbee0");
  }

  @Test
  void reservedConfigEncodingsDecodeAsReservedAndPassNoTraffic() {
    for (int encoding = 1; encoding <= 3; encoding++) {
      Ste ste = Ste.decode(1 | (long) encoding << 1, 0, 0, 0, 0, 0, 0, 0);
      assertThat(ste.config()).isEqualTo(StreamConfig.RESERVED);
      assertThat(ste.config().passesTraffic()).isFalse();
      assertThat(ste.configEncoding()).isEqualTo(encoding);
      assertThat(ste.describe()).isEqualTo("STE V=1 Config=reserved(" + encoding + ")");
    }
  }

  @Test
  void streamConfigMapsEveryEncoding() {
    assertThat(StreamConfig.of(0)).isEqualTo(StreamConfig.ABORT);
    assertThat(StreamConfig.of(4)).isEqualTo(StreamConfig.BYPASS);
    assertThat(StreamConfig.of(5)).isEqualTo(StreamConfig.S1_TRANSLATE);
    assertThat(StreamConfig.of(6)).isEqualTo(StreamConfig.S2_TRANSLATE);
    assertThat(StreamConfig.of(7)).isEqualTo(StreamConfig.NESTED);
    assertThat(StreamConfig.RESERVED.encoding()).isEqualTo(-1);
    for (StreamConfig c : StreamConfig.values()) {
      if (c != StreamConfig.RESERVED) {
        assertThat(StreamConfig.of(c.encoding())).isEqualTo(c);
        assertThat(StreamConfig.NAMES.nameOf(c.encoding())).isEqualTo(c.toString());
      }
    }
  }

  @Test
  void bitsOutsideEveryFieldAreShownAsReserved() {
    Ste ste = Ste.decode(1, 0, 0, 0, 0x10, 0, 0, 0x8000_0000_0000_0000L);
    assertThat(ste.describe()).isEqualTo("STE V=1 q4.reserved=0x10 q7.reserved=0x8000000000000000");
    assertThat(Ste.decode(0, 0, 0, 0x0F, 0, 0, 0, 0).describe()).isEqualTo("STE q3.reserved=0xf");
    assertThat(Ste.invalid().describe()).isEqualTo("STE (all zero)");
    assertThat(Ste.invalid().valid()).isFalse();
  }

  @Test
  void unnamedEncodingsOfNamedFieldsPrintAsReserved() {
    Ste ste =
        Ste.builder()
            .set(SteFields.S1_FMT, 3)
            .set(SteFields.S1_DSS, 3)
            .set(SteFields.EATS, 3)
            .set(SteFields.STRW, 1)
            .set(SteFields.S2_TG, 3)
            .set(SteFields.S2_PS, 7)
            .build();
    assertThat(ste.describe())
        .isEqualTo(
            "STE S1Fmt=reserved(3) S1DSS=reserved(3) EATS=reserved(3) STRW=reserved(1)"
                + " S2TG=reserved(3) S2PS=reserved(7)");
    assertThat(ste.s2Granule()).isNull();
    assertThat(ste.s2OutputBits()).isEqualTo(-1);
  }

  @Test
  void decodeNeedsExactlyEightQwords() {
    assertThatThrownBy(() -> Ste.decode(new long[7]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("STE needs 8 qwords, got 7");
    assertThatThrownBy(() -> Ste.decode(new long[9]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("STE needs 8 qwords, got 9");
  }

  @Test
  void decodedStesAreImmutableCopies() {
    long[] qwords =
        SharedVectors.qwords(
            SharedVectors.load("kunit-vectors.json").get("entries").get("s2_ats").get("qwords"));
    Ste ste = Ste.decode(qwords);
    qwords[0] = 0;
    ste.toQwords()[3] = 0;
    assertThat(ste.valid()).isTrue();
    assertThat(ste.s2Ttb()).isEqualTo(0x000d_beef_dead_bee0L);
  }

  @Test
  void layoutCoversExactlyTheArchitectedBitsOfQwordsZeroToThree() {
    // Bits 58:52 of q0 hold nothing we decode; q1 bits 11:8, 24:20, 26 and 43:41 are outside every
    // field (S2HWU, SW_RESERVED, S1PIE, S1MPAM and RES0 in the architecture); q2 31:16 and 63:59
    // are RES0; q3 keeps S2TTB only.
    assertThat(SteFields.LAYOUT.definedBits())
        .containsExactly(
            0xF80F_FFFF_FFFF_FFFFL,
            0x000F_F1FF_FA0F_F0FFL,
            0x07FF_FFFF_0000_FFFFL,
            0x000F_FFFF_FFFF_FFF0L,
            0,
            0,
            0,
            0);
  }
}
