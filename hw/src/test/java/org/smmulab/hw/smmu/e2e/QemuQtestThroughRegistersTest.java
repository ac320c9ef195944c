package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * QEMU's SMMUv3 qtest end to end through the register interface, with everything taken from the
 * shared vectors ({@link QemuQtestVector}): the registers programmed in the qtest's order, the
 * memory image its table writes leave, then the test device's write, which must land at the
 * vectors' expected PA, in stage-1, stage-2 and nested mode, with both command-consumption modes.
 */
class QemuQtestThroughRegistersTest {
  @ParameterizedTest
  @CsvSource({
    "S1_ONLY, qemu-like",
    "S2_ONLY, mmu-700-like",
    "NESTED, mmu-700-like",
    "S1_ONLY, mmu-700-like"
  })
  void theDevicesWriteLandsOnTheExpectedPage(String mode, String preset) throws Exception {
    QemuQtestVector vector = new QemuQtestVector(mode);
    PhysicalMemory memory = new PhysicalMemory(48);
    vector.writeMemory(memory, vector.ste());
    SmmuConfig config = SmmuPresets.named(preset);
    if (!mode.equals("S1_ONLY")) {
      config = config.toBuilder().stages(true, true).build();
    }
    int sid = QemuQtestVector.streamId();
    long iova = QemuQtestVector.iova();
    byte[] written = QemuQtestVector.deviceWrite();
    try (Smmu smmu = new Smmu("smmu0", config, memory)) {
      QemuQtestVector.programRegisters(smmu.registers());

      Endpoint device = Endpoint.withoutAts("iommu-testdev", memory, smmu, sid);
      DmaResult result = device.dma(DmaRequest.write(sid, iova, written));

      assertThat(result.completed())
          .as("DMA of %s completed: %s", mode, result.faultReason())
          .isTrue();
      assertThat(result.segments())
          .containsExactly(
              new DmaSegment(iova, vector.expectedPa(), written.length, DmaSegment.Source.WALK));
      byte[] landed = new byte[written.length];
      memory.read(vector.expectedPa(), landed, 0, landed.length);
      assertThat(landed).containsExactly(written);

      DmaResult again = device.dma(DmaRequest.read(sid, iova, written.length));
      assertThat(again.segments().get(0).source()).isEqualTo(DmaSegment.Source.TLB);
      assertThat(smmu.statistics().tlbHits()).isEqualTo(1);
    }
  }

  /**
   * The nested vector with split-stage ATS (STE.EATS = S1CHK, CR0.ATSCHK): the translation request
   * returns the stage-1 result, an IPA, and the endpoint's translated write goes through stage 2 to
   * the same PA.
   */
  @Test
  void splitStageAtsReachesTheSamePage() throws Exception {
    QemuQtestVector vector = new QemuQtestVector("NESTED");
    PhysicalMemory memory = new PhysicalMemory(48);
    long[] ste = vector.ste();
    ste[1] = SteFields.EATS.insert(ste[1], SteFields.EATS_SPLIT_S1CHK);
    vector.writeMemory(memory, ste);
    int sid = QemuQtestVector.streamId();
    long iova = QemuQtestVector.iova();
    byte[] written = QemuQtestVector.deviceWrite();
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.mmu700Like(), memory)) {
      RegisterBus regs = smmu.registers();
      QemuQtestVector.programRegisters(regs);
      int cr0 = regs.read32(RegisterOffsets.CR0) | 1 << 4;
      regs.write32(RegisterOffsets.CR0, cr0);
      Registers.awaitEqual(regs, RegisterOffsets.CR0ACK, cr0);

      Endpoint device = Endpoint.withAts("ats-dev", memory, smmu, 8, 1, sid);
      device.setAtsEnabled(true);
      DmaResult result = device.dma(DmaRequest.write(sid, iova, written));

      assertThat(result.completed()).as("split-stage DMA: %s", result.faultReason()).isTrue();
      assertThat(result.segments())
          .containsExactly(
              new DmaSegment(
                  iova, vector.expectedPa(), written.length, DmaSegment.Source.ATS_REQUEST));
      assertThat(smmu.statistics().walks())
          .as("the translated write went through stage 2, not straight to memory")
          .isEqualTo(1);
      assertThat(smmu.statistics().bypassed()).isZero();
    }
  }
}
