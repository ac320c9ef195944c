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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.cd.CdFields;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.DmaRequest;
import org.smmulab.hw.pcie.DmaResult;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.e2e.FuzzWorld.SteKind;

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

  /**
   * A permission fault (a write to a read-only page) and a translation fault (an unmapped page) of
   * one stage reach the event queue with every field filled when that stage records faults (CD.R
   * for stage 1, STE.S2R for stage 2), and terminate without any record when it does not.
   */
  @ParameterizedTest(name = "{0}, record = {1}")
  @CsvSource({"S1_ONE_CD, true", "S1_ONE_CD, false", "S2_ONLY, true", "S2_ONLY, false"})
  void translationFaultsAreQueuedWithEveryFieldOnlyWhenTheirStageRecords(
      SteKind kind, boolean record) throws Exception {
    try (Smmu smmu = new Smmu("smmu0", Configs.async(SmmuPresets.mmu700Like(), false), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      new FuzzWorld(memory).build();
      int sid = 9;
      long[] ste = FuzzWorld.ste(kind, 0);
      long[] cd = FuzzWorld.cd(3, FuzzWorld.S1_L0);
      if (!record) {
        ste[2] = SteFields.S2_R.insert(ste[2], 0);
        cd[0] = CdFields.R.insert(cd[0], 0);
      }
      sw.write(SoftwareSide.STRTAB + sid * 64L, ste);
      sw.write(FuzzWorld.CD_LINEAR, cd);
      Endpoint dev = Endpoint.withoutAts("dev", memory, smmu, sid);
      long readOnly = 3 * 0x1000L + 0x10;
      long unmapped = 5 * 0x1000L + 0x20;

      DmaResult denied = dev.dma(DmaRequest.write(sid, readOnly, new byte[4]));
      DmaResult missing = dev.dma(DmaRequest.read(sid, unmapped, 4).asPrivileged());

      assertThat(denied.faulted()).isTrue();
      assertThat(missing.faulted()).isTrue();
      List<EventRecord> events = sw.drainEvents();
      if (!record) {
        assertThat(denied.event()).isNull();
        assertThat(missing.event()).isNull();
        assertThat(events).isEmpty();
        return;
      }
      boolean s2 = kind == SteKind.S2_ONLY;
      assertThat(events).hasSize(2);
      assertFault(events.get(0), EventType.F_PERMISSION, sid, readOnly, false, false, s2);
      assertFault(events.get(1), EventType.F_TRANSLATION, sid, unmapped, true, true, s2);
      assertThat(events).containsExactly(denied.event(), missing.event());
    }
  }

  private static void assertFault(
      EventRecord e,
      EventType type,
      int sid,
      long address,
      boolean read,
      boolean privileged,
      boolean s2) {
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.sid()).isEqualTo(sid);
    assertThat(e.ssv()).isFalse();
    assertThat(e.inputAddress()).isEqualTo(address);
    assertThat(e.rnw()).as("RnW").isEqualTo(read);
    assertThat(e.pnu()).as("PnU").isEqualTo(privileged);
    assertThat(e.ind()).as("InD").isFalse();
    assertThat(e.s2()).as("S2").isEqualTo(s2);
    assertThat(e.eventClass()).as("CLASS").isEqualTo(EventRecord.CLASS_IN);
    assertThat(e.ipa()).as("IPA").isEqualTo(s2 ? address & ~0xFFFL : 0);
  }
}
