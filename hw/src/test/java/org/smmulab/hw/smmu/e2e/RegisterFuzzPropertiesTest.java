package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;

/** Any register access, at any offset with any value, completes without a Java exception. */
class RegisterFuzzPropertiesTest {
  @Property(tries = 3000, seed = "20261124")
  void noOffsetOrValueMakesAnAccessThrow(
      @ForAll long offset, @ForAll int value, @ForAll long wide) {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), new PhysicalMemory(40))) {
      var regs = smmu.registers();
      long near = offset & 0x1_FFFC;
      regs.write32(near, value);
      regs.write64(near & ~7, wide);
      regs.read32(near);
      regs.read64(near & ~7);
      regs.write32(offset, value);
      regs.read32(offset);
      regs.read64(offset);
      assertThat(regs.read32(RegisterOffsets.MMIO_SIZE + 8L)).isZero();
    }
  }
}
