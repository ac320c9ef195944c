package org.smmulab.hw.smmu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.regs.Idr3;

/** The presets against the implementations they imitate. */
class SmmuPresetsTest {
  /**
   * The ID registers QEMU 7.2 (Debian 12, {@code -M virt,iommu=smmuv3}) reports, as read through
   * its MMIO window by the QEMU peer.
   */
  private static final int QEMU_IDR0 = 0x0d40101a;

  private static final int QEMU_IDR1 = 0x02730010;
  private static final int QEMU_IDR3 = 0x1404;
  private static final int QEMU_IDR5 = 0x74;

  @Test
  void qemuLikeReportsQemusIdRegisters() {
    SmmuConfig qemu = SmmuPresets.qemuLike();
    assertThat(qemu.idr0().qword(0)).as("IDR0").isEqualTo(QEMU_IDR0);
    assertThat(qemu.idr1().qword(0)).as("IDR1").isEqualTo(QEMU_IDR1);
    assertThat(qemu.idr5().qword(0)).as("IDR5").isEqualTo(QEMU_IDR5);
    long had = Idr3.builder().set(Idr3.HAD, 1).build().qword(0);
    assertThat(qemu.idr3().qword(0))
        .as("IDR3 without HAD, which a configuration cannot advertise")
        .isEqualTo(QEMU_IDR3 & ~had);
  }
}
