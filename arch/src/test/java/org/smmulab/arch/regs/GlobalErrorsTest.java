package org.smmulab.arch.regs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.codec.Field;

class GlobalErrorsTest {
  @Test
  void linuxErrorMaskIsTheUnionOfAllGerrorFields() {
    // Linux handles every GERROR error and masks GERROR ^ GERRORN with 0x1fd.
    long union = 0;
    for (Field f : GlobalErrors.LAYOUT.fields()) {
      union |= f.mask();
    }
    assertThat(union).isEqualTo(0x1fdL);
    assertThat(GlobalErrors.ACK_LAYOUT.definedBits()[0]).isEqualTo(0x1fdL);
  }

  @Test
  void bitPositions() {
    assertThat(GlobalErrors.CMDQ_ERR.mask()).isEqualTo(0x1L);
    assertThat(GlobalErrors.EVTQ_ABT_ERR.mask()).isEqualTo(0x4L);
    assertThat(GlobalErrors.PRIQ_ABT_ERR.mask()).isEqualTo(0x8L);
    assertThat(GlobalErrors.MSI_CMDQ_ABT_ERR.mask()).isEqualTo(0x10L);
    assertThat(GlobalErrors.MSI_EVTQ_ABT_ERR.mask()).isEqualTo(0x20L);
    assertThat(GlobalErrors.MSI_PRIQ_ABT_ERR.mask()).isEqualTo(0x40L);
    assertThat(GlobalErrors.MSI_GERROR_ABT_ERR.mask()).isEqualTo(0x80L);
    assertThat(GlobalErrors.SFM_ERR.mask()).isEqualTo(0x100L);
  }

  @Test
  void activeErrorsAreThoseWhoseBitsDiffer() {
    // SMMU raised CMDQ_ERR then SFM_ERR; software acknowledged CMDQ_ERR only.
    int gerror = 0x101;
    int gerrorn = 0x001;
    assertThat(GlobalErrors.active(gerror, gerrorn)).isEqualTo(0x100);
    // A second CMDQ_ERR toggles GERROR bit 0 back to 0, which now differs from GERRORN again.
    assertThat(GlobalErrors.active(0x100, 0x001)).isEqualTo(0x101);
    assertThat(GlobalErrors.active(0x1fd, 0x1fd)).isZero();
    assertThat(RegisterValue.of(GlobalErrors.LAYOUT, 0x101).describe())
        .isEqualTo("GERROR CMDQ_ERR=1 SFM_ERR=1");
    assertThat(RegisterValue.of(GlobalErrors.ACK_LAYOUT, 0x2).describe())
        .isEqualTo("GERRORN q0.reserved=0x2");
  }
}
