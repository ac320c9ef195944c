package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.arch.testing.SharedVectors;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.DmaSegment;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

/**
 * QEMU's SMMUv3 qtest end to end through the register interface: the registers programmed in the
 * test's order, the memory image it leaves, then the test device's 4-byte write of 0x12345678 to
 * IOVA 0x8080604567, which must land at PA 0x4ecba567, in stage-1, stage-2 and nested mode, with
 * both command-consumption modes.
 */
class QemuQtestThroughRegistersTest {
  private static final JsonNode VECTORS = SharedVectors.load("qemu-smmuv3-qtest.json");
  private static final long IOVA = 0x8080604567L;
  private static final long EXPECTED_PA = 0x4ecba567L;
  private static final int SID = 8;
  private static final long STRTAB = 0x4e179000L;
  private static final long CD = 0x4e178fc0L;

  private static void writeQwords(PhysicalMemory memory, long address, long[] qwords)
      throws org.smmulab.arch.bus.BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "S1_ONLY, qemu-like",
    "S2_ONLY, mmu-700-like",
    "NESTED, mmu-700-like",
    "S1_ONLY, mmu-700-like"
  })
  void theDevicesWriteLandsOnTheExpectedPage(String mode, String preset) throws Exception {
    JsonNode vector = VECTORS.get("modes").get(mode);
    PhysicalMemory memory = new PhysicalMemory(48);
    for (Iterator<Map.Entry<String, JsonNode>> it = vector.get("final_memory").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> word = it.next();
      memory.write64(SharedVectors.hex(word.getKey()), SharedVectors.hex(word.getValue()));
    }
    writeQwords(memory, STRTAB + SID * 64L, SharedVectors.qwords(vector.get("ste_qwords")));
    JsonNode cd = vector.get("cd_qwords");
    if (cd != null && !cd.isNull()) {
      writeQwords(memory, CD, SharedVectors.qwords(cd));
    }
    SmmuConfig config = SmmuPresets.named(preset);
    if (!mode.equals("S1_ONLY")) {
      config = config.toBuilder().stages(true, true).build();
    }
    try (Smmu smmu = new Smmu("smmu0", config, memory)) {
      RegisterBus regs = smmu.registers();
      regs.write32(RegisterOffsets.GBPA, 0x8000_0000);
      regs.write32(RegisterOffsets.CR0, 0);
      regs.write32(RegisterOffsets.CR1, 0x0d75);
      regs.write64(RegisterOffsets.CMDQ_BASE, 0x4e16b000L | 0x0a);
      regs.write32(RegisterOffsets.CMDQ_CONS, 0);
      regs.write32(RegisterOffsets.CMDQ_PROD, 0);
      regs.write64(RegisterOffsets.EVTQ_BASE, 0x4e170000L | 0x0a);
      regs.write32(RegisterOffsets.EVTQ_PROD, 0);
      regs.write32(RegisterOffsets.EVTQ_CONS, 0);
      regs.write32(RegisterOffsets.STRTAB_BASE_CFG, 0x5);
      regs.write64(RegisterOffsets.STRTAB_BASE, STRTAB);
      regs.write32(RegisterOffsets.CR0, 0xd);
      Registers.awaitEqual(regs, RegisterOffsets.CR0ACK, 0xd);

      Endpoint device = Endpoint.withoutAts("iommu-testdev", memory, smmu, SID);
      DmaResult result =
          device.dma(DmaRequest.write(SID, IOVA, new byte[] {0x78, 0x56, 0x34, 0x12}));

      assertThat(result.completed())
          .as("DMA of %s completed: %s", mode, result.faultReason())
          .isTrue();
      assertThat(result.segments())
          .containsExactly(new DmaSegment(IOVA, EXPECTED_PA, 4, DmaSegment.Source.WALK));
      byte[] landed = new byte[4];
      memory.read(EXPECTED_PA, landed, 0, 4);
      assertThat(landed).containsExactly(0x78, 0x56, 0x34, 0x12);

      DmaResult again = device.dma(DmaRequest.read(SID, IOVA, 4));
      assertThat(again.segments().get(0).source()).isEqualTo(DmaSegment.Source.TLB);
      assertThat(smmu.statistics().tlbHits()).isEqualTo(1);
    }
  }

  /**
   * The nested vector with split-stage ATS (STE.EATS = S1CHK, CR0.ATSCHK): the translation request
   * returns the stage-1 result, an IPA, and the endpoint's translated write goes through stage 2 to
   * the same PA.
   */
  @org.junit.jupiter.api.Test
  void splitStageAtsReachesTheSamePage() throws Exception {
    JsonNode vector = VECTORS.get("modes").get("NESTED");
    PhysicalMemory memory = new PhysicalMemory(48);
    for (Iterator<Map.Entry<String, JsonNode>> it = vector.get("final_memory").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> word = it.next();
      memory.write64(SharedVectors.hex(word.getKey()), SharedVectors.hex(word.getValue()));
    }
    long[] ste = SharedVectors.qwords(vector.get("ste_qwords"));
    ste[1] |= 2L << 28;
    writeQwords(memory, STRTAB + SID * 64L, ste);
    writeQwords(memory, CD, SharedVectors.qwords(vector.get("cd_qwords")));
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.mmu700Like().toBuilder().build(), memory)) {
      RegisterBus regs = smmu.registers();
      regs.write64(RegisterOffsets.STRTAB_BASE, STRTAB);
      regs.write32(RegisterOffsets.STRTAB_BASE_CFG, 0x5);
      regs.write32(RegisterOffsets.CR0, 0x1 | 0x10);
      Registers.awaitEqual(regs, RegisterOffsets.CR0ACK, 0x11);

      Endpoint device = Endpoint.withAts("ats-dev", memory, smmu, 8, 1, SID);
      device.setAtsEnabled(true);
      DmaResult result = device.dma(DmaRequest.write(SID, IOVA, new byte[] {1, 2, 3, 4}));

      assertThat(result.completed()).as("split-stage DMA: %s", result.faultReason()).isTrue();
      assertThat(result.segments())
          .containsExactly(new DmaSegment(IOVA, EXPECTED_PA, 4, DmaSegment.Source.ATS_REQUEST));
      assertThat(smmu.statistics().walks())
          .as("the translated write went through stage 2, not straight to memory")
          .isEqualTo(1);
      assertThat(smmu.statistics().bypassed()).isZero();
    }
  }
}
