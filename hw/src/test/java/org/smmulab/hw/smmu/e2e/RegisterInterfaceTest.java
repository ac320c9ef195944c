package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.CR1;
import static org.smmulab.arch.regs.RegisterOffsets.CR2;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GBPA;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;
import static org.smmulab.arch.regs.RegisterOffsets.IDR0;
import static org.smmulab.arch.regs.RegisterOffsets.IDR1;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRL;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRLACK;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.ste.Ste;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;

class RegisterInterfaceTest {
  private static final int SID = 3;

  /**
   * Linux's reset sequence (smmuv3-hw-model.md §1), step by step, in both consumption modes; the
   * instance then translates through a bypass STE and has consumed exactly the reset commands.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void linuxResetSequenceBringsTheInstanceUp(boolean async) throws Exception {
    PhysicalMemory memory = new PhysicalMemory(40);
    SmmuConfig config = Configs.async(SmmuPresets.mmu700Like(), async);
    try (Smmu smmu = new Smmu("smmu0", config, memory)) {
      var regs = smmu.registers();
      var sw = new SoftwareSide(smmu, memory, 8, 8);
      sw.write(SoftwareSide.STRTAB + SID * 64L, bypassSte());

      // 1. Enabled from an earlier life: set GBPA.ABORT through the UPDATE handshake.
      regs.write32(CR0, SoftwareSide.CR0_SMMUEN);
      Registers.awaitEqual(regs, CR0ACK, SoftwareSide.CR0_SMMUEN);
      Registers.awaitEqual(regs, GBPA, regs.read32(GBPA) & ~(1 << 31));
      regs.write32(GBPA, regs.read32(GBPA) | 1 << 20 | 1 << 31);
      Registers.awaitEqual(regs, GBPA, 0x1000 | 1 << 20);
      // 2. Everything off.
      regs.write32(CR0, 0);
      Registers.awaitEqual(regs, CR0ACK, 0);
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      assertThat(dev.dma(DmaRequest.read(SID, 0x1000, 4)).faulted())
          .as("disabled with GBPA.ABORT")
          .isTrue();
      // 3. Table and queue attributes, CR2 = PTM | RECINVSID.
      regs.write32(CR1, 0xD75);
      regs.write32(CR2, 0x6);
      // 4. Stream table.
      regs.write64(STRTAB_BASE, SoftwareSide.STRTAB | 1L << 62);
      regs.write32(STRTAB_BASE_CFG, 8);
      // 5. Command queue, then CMDQEN.
      regs.write64(CMDQ_BASE, SoftwareSide.CMDQ | 1L << 62 | 8);
      regs.write32(CMDQ_PROD, 0);
      regs.write32(CMDQ_CONS, 0);
      regs.write32(CR0, SoftwareSide.CR0_CMDQEN);
      Registers.awaitEqual(regs, CR0ACK, SoftwareSide.CR0_CMDQEN);
      // 6. Invalidate everything cached.
      sw.submit(Command.cfgiAll());
      sw.submit(Command.tlbiEl2All());
      sw.submit(Command.tlbiNsnhAll());
      // 7. Event queue, then EVTQEN.
      regs.write64(EVTQ_BASE, SoftwareSide.EVTQ | 1L << 62 | 8);
      regs.write32(EVTQ_PROD, 0);
      regs.write32(EVTQ_CONS, 0);
      int cr0 = SoftwareSide.CR0_CMDQEN | SoftwareSide.CR0_EVTQEN;
      regs.write32(CR0, cr0);
      Registers.awaitEqual(regs, CR0ACK, cr0);
      // 8. Interrupts off, then on.
      regs.write32(IRQ_CTRL, 0);
      Registers.awaitEqual(regs, IRQ_CTRLACK, 0);
      regs.write32(IRQ_CTRL, 0x5);
      Registers.awaitEqual(regs, IRQ_CTRLACK, 0x5);
      // 9. SMMUEN.
      regs.write32(CR0, cr0 | SoftwareSide.CR0_SMMUEN);
      Registers.awaitEqual(regs, CR0ACK, cr0 | SoftwareSide.CR0_SMMUEN);

      assertThat(dev.dma(DmaRequest.read(SID, 0x1000, 4)).completed()).isTrue();
      var stats = smmu.statistics();
      assertThat(stats.commandsByOpcode())
          .containsEntry("CFGI_STE_RANGE", 1L)
          .containsEntry("TLBI_EL2_ALL", 1L)
          .containsEntry("TLBI_NSNH_ALL", 1L)
          .containsEntry("CMD_SYNC", 3L)
          .hasSize(4);
      assertThat(regs.read32(GERROR) ^ regs.read32(GERRORN)).isZero();
    }
  }

  private static long[] bypassSte() {
    return Ste.builder().set(SteFields.V, 1).set(SteFields.CONFIG, 4).build().toQwords();
  }

  @Test
  void gbpaWritesTakeEffectOnlyWithUpdate() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(40);
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      var regs = smmu.registers();
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, SID);
      assertThat(regs.read32(GBPA)).as("reset: bypass, incoming shareability").isEqualTo(0x1000);
      assertThat(dev.dma(DmaRequest.read(SID, 0x2000, 8)).completed()).isTrue();

      regs.write32(GBPA, 1 << 20);
      assertThat(regs.read32(GBPA)).as("ignored without UPDATE").isEqualTo(0x1000);
      regs.write32(GBPA, 1 << 20 | 1 << 31);
      Registers.awaitEqual(regs, GBPA, 1 << 20);

      assertThat(dev.dma(DmaRequest.read(SID, 0x2000, 8)).faulted()).isTrue();
    }
  }

  @Test
  void queueSizesAreClampedToTheIdrLimitsAndWideRegistersSplitIntoHalves() {
    SmmuConfig config = SmmuPresets.minimalS1();
    try (Smmu smmu = new Smmu("smmu0", config, new PhysicalMemory(40))) {
      var regs = smmu.registers();
      regs.write64(CMDQ_BASE, 0x20_0000L | 0x1F);
      assertThat(regs.read64(CMDQ_BASE)).isEqualTo(0x20_0000L | config.cmdqLog2());
      regs.write32(STRTAB_BASE, 0x1234_5600);
      regs.write32(STRTAB_BASE + 4, 0x4000_00AB);
      assertThat(regs.read64(STRTAB_BASE)).isEqualTo(0x4000_00AB_1234_5600L);
      assertThat(regs.read32(IDR1) & 0x3F).isEqualTo(config.sidBits());
      assertThat(regs.read32(IDR0) & 0b11).as("S1P, no S2P").isEqualTo(0b10);
    }
  }
}
