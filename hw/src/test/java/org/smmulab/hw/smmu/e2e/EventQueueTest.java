package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRL;
import static org.smmulab.arch.regs.RegisterOffsets.IRQ_CTRLACK;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;

class EventQueueTest {
  private final PhysicalMemory memory = new PhysicalMemory(40);

  @Test
  void aBadSteIsRecordedWithItsStreamIdAndRaisesTheInterrupt() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      AtomicInteger irqs = new AtomicInteger();
      smmu.interrupts().setHandler(InterruptLines.Line.EVENTQ, irqs::incrementAndGet);
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      sw.regs.write32(IRQ_CTRL, 0x4);
      Registers.awaitEqual(sw.regs, IRQ_CTRLACK, 0x4);

      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, 5);
      assertThat(dev.dma(DmaRequest.read(5, 0x1000, 4)).event().type())
          .isEqualTo(EventType.C_BAD_STE);

      List<EventRecord> events = sw.drainEvents();
      assertThat(events).hasSize(1);
      assertThat(events.get(0).type()).isEqualTo(EventType.C_BAD_STE);
      assertThat(events.get(0).sid()).isEqualTo(5);
      assertThat(irqs.get()).isEqualTo(1);
    }
  }

  @Test
  void aFullQueueTogglesOvflgOncePerOverflow() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 1).enable(8);
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, 5);
      for (int i = 0; i < 5; i++) {
        dev.dma(DmaRequest.read(5, 0x1000, 4));
      }
      int prod = sw.regs.read32(EVTQ_PROD);
      assertThat(prod & 0x3).as("two records, PROD wrapped once").isEqualTo(2);
      assertThat(prod >>> 31).as("OVFLG toggled").isEqualTo(1);
      assertThat(smmu.statistics().eventQueue().written()).isEqualTo(2);
      assertThat(smmu.statistics().eventQueue().discardedFull()).isEqualTo(3);

      assertThat(sw.drainEvents()).hasSize(2);
      sw.acknowledgeOverflow();
      for (int i = 0; i < 3; i++) {
        dev.dma(DmaRequest.read(5, 0x1000, 4));
      }
      assertThat(sw.regs.read32(EVTQ_PROD) >>> 31)
          .as("a second overflow toggles OVFLG back")
          .isZero();
    }
  }

  @Test
  void anEventWriteThatAbortsRaisesEvtqAbtErr() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      int cr0 = sw.regs.read32(RegisterOffsets.CR0);
      sw.regs.write32(RegisterOffsets.CR0, cr0 & ~SoftwareSide.CR0_EVTQEN);
      Registers.awaitEqual(sw.regs, RegisterOffsets.CR0ACK, cr0 & ~SoftwareSide.CR0_EVTQEN);
      sw.regs.write64(RegisterOffsets.EVTQ_BASE, (1L << 45) | 4);
      sw.regs.write32(RegisterOffsets.CR0, cr0);
      Registers.awaitEqual(sw.regs, RegisterOffsets.CR0ACK, cr0);

      Endpoint.withoutAts("dev", memory, smmu, 5).dma(DmaRequest.read(5, 0, 4));

      assertThat((sw.regs.read32(GERROR) ^ sw.regs.read32(GERRORN)) & 0x4).isEqualTo(0x4);
      assertThat(smmu.statistics().eventQueue().aborted()).isEqualTo(1);
    }
  }

  @Test
  void withTheQueueDisabledRecordsAreDiscarded() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      sw.regs.write32(RegisterOffsets.CR0, SoftwareSide.CR0_SMMUEN | SoftwareSide.CR0_CMDQEN);
      Registers.awaitEqual(
          sw.regs, RegisterOffsets.CR0ACK, SoftwareSide.CR0_SMMUEN | SoftwareSide.CR0_CMDQEN);
      Endpoint.withoutAts("dev", memory, smmu, 5).dma(DmaRequest.read(5, 0, 4));
      assertThat(smmu.statistics().eventQueue().discardedDisabled()).isEqualTo(1);
      assertThat(smmu.statistics().eventsByType()).containsEntry("C_BAD_STE", 1L);
    }
  }
}
