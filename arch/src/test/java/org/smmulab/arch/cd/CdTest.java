package org.smmulab.arch.cd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.ste.KunitEntries;

/** Examples of CD decoding, building and describing, with the words the CLI prints. */
class CdTest {
  private static final KunitEntries ENTRIES = new KunitEntries();

  @Test
  void s1CdDescribesItsFields() {
    assertThat(Cd.decode(ENTRIES.expected("s1_cd_asid1997")).describe())
        .isEqualTo(
            "CD T0SZ=4 TG0=16K IR0=wt OR0=wbwa SH0=ish EPD1=1 V=1 IPS=36-bit AA64=1 R=1 A=1"
                + " ASET=1 ASID=0x7cd TTB0=0xdbeefdeadbee0 MAIR=0xabcdef012345678");
  }

  @Test
  void releasedSvaCdDescribesEpd0AndNoWalkFields() {
    assertThat(Cd.decode(ENTRIES.expected("sva_release_cd_asid1997")).describe())
        .isEqualTo("CD EPD0=1 EPD1=1 V=1 IPS=48-bit AA64=1 A=1 ASET=1 ASID=0x7cd MAIR=0x44ff04");
  }

  @Test
  void zeroCdIsInvalid() {
    assertThat(Cd.invalid().describe()).isEqualTo("CD (all zero)");
    assertThat(Cd.invalid().valid()).isFalse();
    assertThat(Cd.invalid().toQwords()).isEqualTo(ENTRIES.expected("cd_zero"));
  }

  @Test
  void ttb1HalfDecodes() {
    Cd cd =
        Cd.builder()
            .set(CdFields.T1SZ, 25)
            .set(CdFields.TG1, Granule.SIZE_4K.tg1Encoding())
            .set(CdFields.IR1, 1)
            .set(CdFields.OR1, 1)
            .set(CdFields.SH1, 3)
            .set(CdFields.TBI1, 1)
            .set(CdFields.TTB1, 0x8_0000_1000L)
            .set(CdFields.AMAIR, 0x1234)
            .build();
    assertThat(cd.t1sz()).isEqualTo(25);
    assertThat(cd.granule1()).isEqualTo(Granule.SIZE_4K);
    assertThat(cd.tbi1()).isTrue();
    assertThat(cd.tbi0()).isFalse();
    assertThat(cd.ttb1()).isEqualTo(0x8_0000_1000L);
    assertThat(cd.amair()).isEqualTo(0x1234);
    assertThat(cd.qword(0)).isEqualTo(0x0000_0080_3599_0000L);
    assertThat(cd.describe())
        .isEqualTo(
            "CD T1SZ=0x19 TG1=4K IR1=wbwa OR1=wbwa SH1=ish TBI1=1 TTB1=0x800001000 AMAIR=0x1234");
  }

  @Test
  void reservedGranuleAndAddressSizeEncodingsDecodeWithoutThrowing() {
    Cd cd = Cd.decode(0x0000_0007_0000_00C0L, 0, 0, 0, 0, 0, 0, 0);
    assertThat(cd.granule0()).isNull();
    assertThat(cd.granule1()).isNull();
    assertThat(cd.outputBits()).isEqualTo(-1);
    assertThat(cd.describe()).isEqualTo("CD TG0=reserved(3) IPS=reserved(7)");
  }

  @Test
  void layoutLeavesTheArchitecturesUnlistedBitsAsReserved() {
    // q0 bits 37:36 (WXN, UWXN) and 40 (PAN) and q1/q2 bit 2 (E0PD) are not decoded here.
    Cd cd = Cd.decode(0x0000_0130_0000_0000L, 0x4, 0x4, 0, 0, 0x1, 0, 0);
    assertThat(cd.describe())
        .isEqualTo("CD q0.reserved=0x13000000000 q1.reserved=0x4 q2.reserved=0x4 q5.reserved=0x1");
  }

  @Test
  void decodeNeedsExactlyEightQwords() {
    assertThatThrownBy(() -> Cd.decode(1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CD needs 8 qwords, got 2");
  }
}
