package org.smmulab.arch.cd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.smmulab.arch.codec.Layout;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.ste.KunitEntries;

/** Rebuilds every KUnit CD from its field table and compares the eight qwords exactly. */
class CdKunitImagesTest {
  private static final KunitEntries ENTRIES = new KunitEntries();

  /**
   * Its field table says only "as sva_cd but ... S and R cleared"; it is built by hand below from
   * the description of {@code arm_smmu_make_sva_cd(master, NULL, asid)}.
   */
  private static final String SVA_RELEASED = "sva_release_cd_asid1997";

  static Stream<String> cdEntriesWithFullTables() {
    return ENTRIES.names().stream().filter(n -> !ENTRIES.isSte(n) && !n.equals(SVA_RELEASED));
  }

  @Test
  void theVectorsHoldTheFiveKunitCdsBesidesTheReleasedOne() {
    assertThat(cdEntriesWithFullTables())
        .containsExactlyInAnyOrder("cd_zero", "s1_cd_asid1997", "s1_cd_asid778", "sva_cd_asid1997");
    assertThat(ENTRIES.isSte(SVA_RELEASED)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("cdEntriesWithFullTables")
  void rebuiltFromItsFieldTableMatchesTheKunitImage(String name) {
    long[] rebuilt = ENTRIES.rebuild(name);
    assertThat(Layout.hex(rebuilt)).as(name).isEqualTo(Layout.hex(ENTRIES.expected(name)));
  }

  @Test
  void releasedSvaCdIsTheSvaCdWithTtb0WalksDisabledAndFaultReportingOff() {
    Cd sva = Cd.decode(ENTRIES.rebuild("sva_cd_asid1997"));
    Cd released =
        sva.toBuilder()
            .set(CdFields.EPD0, 1)
            .set(CdFields.T0SZ, 0)
            .set(CdFields.TG0, 0)
            .set(CdFields.IR0, 0)
            .set(CdFields.OR0, 0)
            .set(CdFields.SH0, 0)
            .set(CdFields.TTB0, 0)
            .set(CdFields.HAFT, 0)
            .set(CdFields.S, 0)
            .set(CdFields.R, 0)
            .build();
    assertThat(Layout.hex(released.toQwords()))
        .isEqualTo(Layout.hex(ENTRIES.expected(SVA_RELEASED)));
    assertThat(released.epd0()).isTrue();
    assertThat(released.valid()).isTrue();
    assertThat(released.asid()).isEqualTo(1997);
    assertThat(released.mair()).isEqualTo(0x44ff04L);
  }

  @Test
  void typedAccessorsReadTheS1Cd() {
    Cd cd = Cd.decode(ENTRIES.expected("s1_cd_asid1997"));
    assertThat(cd.valid()).isTrue();
    assertThat(cd.t0sz()).isEqualTo(4);
    assertThat(cd.granule0()).isEqualTo(Granule.SIZE_16K);
    assertThat(cd.ir0()).isEqualTo(2);
    assertThat(cd.or0()).isEqualTo(1);
    assertThat(cd.sh0()).isEqualTo(3);
    assertThat(cd.epd0()).isFalse();
    assertThat(cd.epd1()).isTrue();
    assertThat(cd.bigEndian()).isFalse();
    assertThat(cd.ips()).isEqualTo(1);
    assertThat(cd.outputBits()).isEqualTo(36);
    assertThat(cd.aa64()).isTrue();
    assertThat(cd.stall()).isFalse();
    assertThat(cd.record()).isTrue();
    assertThat(cd.abortOnTerminate()).isTrue();
    assertThat(cd.aset()).isTrue();
    assertThat(cd.hardwareAccessFlag()).isFalse();
    assertThat(cd.hardwareDirty()).isFalse();
    assertThat(cd.asid()).isEqualTo(1997);
    assertThat(cd.ttb0()).isEqualTo(0x000d_beef_dead_bee0L);
    assertThat(cd.mair()).isEqualTo(0x0abc_def0_1234_5678L);
    assertThat(Cd.decode(ENTRIES.expected("s1_cd_asid778")).asid()).isEqualTo(778);
  }

  @Test
  void checkedBuilderRejectsAnAsidWiderThan16BitsNamingTheField() {
    assertThatThrownBy(() -> Cd.checkedBuilder().set(CdFields.ASID, 0x1_0000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CD.ASID")
        .hasMessageContaining("q0[63:48]");
    assertThat(Cd.builder().set(CdFields.ASID, 0x1_07cd).build().asid()).isEqualTo(0x07cd);
  }

  @Test
  void checkedBuilderRejectsATtb0WithLowBitsSet() {
    assertThatThrownBy(() -> Cd.checkedBuilder().set(CdFields.TTB0, 0xdaedbeefdeadbeefL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CD.TTB0");
  }
}
