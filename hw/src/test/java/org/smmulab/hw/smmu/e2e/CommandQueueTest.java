package org.smmulab.hw.smmu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.GERROR;
import static org.smmulab.arch.regs.RegisterOffsets.GERRORN;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandFields;
import org.smmulab.arch.cmd.TlbiRange;
import org.smmulab.arch.regs.RegisterOffsets;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;
import org.smmulab.hw.smmu.SmmuPresets;
import org.smmulab.hw.smmu.observe.SmmuListener;

class CommandQueueTest {
  private final PhysicalMemory memory = new PhysicalMemory(40);

  private static SmmuConfig sync(SmmuConfig c) {
    return Configs.async(c, false);
  }

  private int activeErrors(SoftwareSide sw) {
    return sw.regs.read32(GERROR) ^ sw.regs.read32(GERRORN);
  }

  @Test
  void aSmallQueueWrapsManyTimes() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.mmu700Like(), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 3, 4).enable(8);
      for (int i = 0; i < 16; i++) {
        Command[] batch = new Command[7];
        for (int j = 0; j < batch.length; j++) {
          batch[j] = Command.tlbiNhAsid(0, i * 8 + j);
        }
        sw.submit(batch);
      }
      assertThat(smmu.statistics().commandsByOpcode())
          .containsEntry("TLBI_NH_ASID", 112L)
          .containsEntry("CMD_SYNC", 16L);
      assertThat(sw.prod()).as("wrapped 16 times around 8 slots").isEqualTo(128 & 0xF);
    }
  }

  @Test
  void anIllegalCommandStopsTheQueueUntilAcknowledged() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", sync(SmmuPresets.mmu700Like()), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      Command bad = Command.decode(0x07, 0);
      sw.post(Command.tlbiNsnhAll(), bad, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0));

      int cons = sw.regs.read32(CMDQ_CONS);
      assertThat(cons & 0x1F).as("CONS stays at the bad entry").isEqualTo(1);
      assertThat(cons >>> 24 & 0x7F).as("CERROR_ILL").isEqualTo(1);
      assertThat(activeErrors(sw) & 1).as("GERROR.CMDQ_ERR active").isEqualTo(1);

      // What Linux does: replace the bad entry with a CMD_SYNC, then acknowledge.
      sw.write(SoftwareSide.CMDQ + 16, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0).toQwords());
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
      sw.awaitConsumed();
      assertThat(activeErrors(sw)).isZero();
      assertThat(smmu.statistics().commandErrors()).containsEntry("ILL", 1L);
      assertThat(smmu.statistics().commandsByOpcode()).containsEntry("CMD_SYNC", 2L);
    }
  }

  @ParameterizedTest(name = "asynchronous consumer: {0}")
  @ValueSource(booleans = {false, true})
  void ssecOnTheNonSecureQueueStopsItAtThatEntryUntilAcknowledgedAndFixed(boolean async)
      throws Exception {
    try (Smmu smmu = new Smmu("smmu0", Configs.async(SmmuPresets.mmu700Like(), async), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      Command secure = Command.cfgiSte(3, true).toBuilder().set(CommandFields.SSEC, 1).build();
      sw.post(Command.tlbiNsnhAll(), secure, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0));
      awaitError(sw);

      assertStoppedAt(sw, 1, 1);
      sw.post(Command.tlbiNsnhAll());
      Thread.sleep(20);
      assertStoppedAt(sw, 1, 1);
      assertThat(smmu.statistics().commandsByOpcode()).doesNotContainKey("CMD_SYNC");

      // Acknowledging without fixing the entry re-reads it: the same error at the same entry.
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
      awaitError(sw);
      assertStoppedAt(sw, 1, 1);

      sw.write(SoftwareSide.CMDQ + 16, Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0).toQwords());
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
      sw.awaitConsumed();
      assertThat(activeErrors(sw)).isZero();
      assertThat(smmu.statistics().commandErrors()).containsEntry("ILL", 2L);
      assertThat(smmu.statistics().commandsByOpcode())
          .containsEntry("TLBI_NSNH_ALL", 2L)
          .containsEntry("CMD_SYNC", 2L)
          .doesNotContainKey("CFGI_STE");
    }
  }

  private void assertStoppedAt(SoftwareSide sw, int index, int error) {
    int cons = sw.regs.read32(CMDQ_CONS);
    assertThat(cons & 0xF).as("CONS stays at the bad entry").isEqualTo(index);
    assertThat(cons >>> 24 & 0x7F).as("CMDQ_CONS.ERR").isEqualTo(error);
    assertThat(activeErrors(sw) & 1).as("GERROR.CMDQ_ERR active").isEqualTo(1);
  }

  private void awaitError(SoftwareSide sw) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((activeErrors(sw) & 1) == 0) {
      assertThat(System.nanoTime()).as("CMDQ_ERR raised").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /**
   * A full queue (PROD one lap ahead of CONS: same index, other wrap bit) holds 2^LOG2SIZE
   * commands, not none: while consumption is stopped at a bad entry software fills every slot, and
   * once it fixes the entry and acknowledges, all of them are consumed and CONS catches up with
   * PROD, wrap bit included.
   */
  @ParameterizedTest(name = "asynchronous consumer: {0}")
  @ValueSource(booleans = {false, true})
  void aFullQueueIsConsumedEntirely(boolean async) throws Exception {
    try (Smmu smmu = new Smmu("smmu0", Configs.async(SmmuPresets.mmu700Like(), async), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 3, 4).enable(8);
      sw.post(Command.decode(0xFF, 0));
      awaitError(sw);
      for (int i = 1; i < 7; i++) {
        sw.post(Command.tlbiNhAsid(0, i));
      }
      sw.post(Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0));
      int cons = sw.regs.read32(CMDQ_CONS);
      assertThat(sw.prod() ^ (cons & 0xF)).as("PROD one lap ahead: the queue is full").isEqualTo(8);

      sw.write(SoftwareSide.CMDQ, Command.tlbiNhAsid(0, 9).toQwords());
      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
      sw.awaitConsumed();
      assertThat(sw.regs.read32(CMDQ_CONS)).isEqualTo(sw.prod()).isEqualTo(8);
      assertThat(smmu.statistics().commandsByOpcode())
          .containsEntry("TLBI_NH_ASID", 7L)
          .containsEntry("CMD_SYNC", 1L);
    }
  }

  @Test
  void aCommandThatCannotBeReadIsAnAbort() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", sync(SmmuPresets.qemuLike()), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      sw.regs.write32(RegisterOffsets.CR0, 0);
      Registers.awaitEqual(sw.regs, RegisterOffsets.CR0ACK, 0);
      sw.regs.write64(CMDQ_BASE, (1L << 44) | 4);
      sw.regs.write32(RegisterOffsets.CR0, SoftwareSide.CR0_CMDQEN);
      sw.regs.write32(RegisterOffsets.CMDQ_PROD, 1);
      assertThat(sw.regs.read32(CMDQ_CONS) >>> 24 & 0x7F).as("CERROR_ABT").isEqualTo(2);
      assertThat(activeErrors(sw) & 1).isEqualTo(1);
    }
  }

  @Test
  void aFailedAtcInvalidationEndsTheSyncWithAtcInvSyncUntilRetried() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", sync(SmmuPresets.mmu700Like()), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      Endpoint ep = Endpoint.withAts("nic", memory, smmu, 4, 1, 9);
      smmu.connect(ep);
      ep.setFailInvalidations(true);
      sw.post(Command.atcInv(9, 0, 0, 52, false), Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0));

      int cons = sw.regs.read32(CMDQ_CONS);
      assertThat(cons & 0x1F).as("CONS at the CMD_SYNC").isEqualTo(1);
      assertThat(cons >>> 24 & 0x7F).as("CERROR_ATC_INV_SYNC").isEqualTo(3);

      sw.regs.write32(GERRORN, sw.regs.read32(GERROR));
      sw.awaitConsumed();
      assertThat(smmu.statistics().commandErrors()).containsEntry("ATC_INV_SYNC", 1L);
    }
  }

  @Test
  void cmdSyncWritesItsMsiIntoItsOwnSlot() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.mmu700Like(), memory)) {
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      long slot = SoftwareSide.CMDQ + 16L * sw.prod();
      sw.post(Command.cmdSync(Command.CS_IRQ, Command.SH_ISH, Command.MEMATTR_OIWB, 0, slot));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (memory.read32(slot) != 0) {
        assertThat(System.nanoTime()).as("MSI write-back").isLessThan(deadline);
        Thread.onSpinWait();
      }
      assertThat(memory.read64(slot + 8)).as("MSIAddr left in place").isEqualTo(slot);
    }
  }

  @Test
  void withoutMsiSigIrqPulsesTheWiredLine() throws Exception {
    try (Smmu smmu = new Smmu("smmu0", SmmuPresets.qemuLike(), memory)) {
      AtomicInteger pulses = new AtomicInteger();
      smmu.interrupts().setHandler(InterruptLines.Line.CMDQ_SYNC, pulses::incrementAndGet);
      SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
      sw.post(Command.cmdSync(Command.CS_IRQ, 0, 0, 0, 0));
      sw.awaitConsumed();
      assertThat(pulses.get()).isEqualTo(1);
    }
  }

  @Test
  void strictReservedEncodingsRefuseAnEmptyRangeWhereTheLaxModelAcceptsIt() throws Exception {
    Command emptyRange = Command.tlbiNhVa(0, 1, new TlbiRange(0x1000, 0, 0, 1, 0, true));
    try (Smmu strict = new Smmu("strict", sync(SmmuPresets.mmu700Like()), memory)) {
      SoftwareSide sw = new SoftwareSide(strict, memory, 4, 4).enable(8);
      sw.post(emptyRange);
      assertThat(sw.regs.read32(CMDQ_CONS) >>> 24 & 0x7F).isEqualTo(1);
    }
    PhysicalMemory laxMemory = new PhysicalMemory(40);
    try (Smmu lax = new Smmu("lax", SmmuPresets.qemuLike(), laxMemory)) {
      SoftwareSide sw = new SoftwareSide(lax, laxMemory, 4, 4).enable(8);
      sw.submit(emptyRange);
      assertThat(lax.statistics().commandErrors()).isEmpty();
      assertThat(lax.statistics().commandsByOpcode()).containsEntry("TLBI_NH_VA", 1L);
    }
  }

  @Test
  void inAsynchronousModeCommandsRunOnTheInstancesThreadWhichCloseStops() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    Smmu smmu = new Smmu("smmu7", Configs.async(SmmuPresets.mmu700Like(), true), memory);
    smmu.setListener(
        new SmmuListener() {
          @Override
          public void command(String instance, Command command, String error) {
            threads.add(Thread.currentThread().getName());
          }
        });
    SoftwareSide sw = new SoftwareSide(smmu, memory, 4, 4).enable(8);
    sw.submit(Command.tlbiNsnhAll());
    assertThat(threads).containsOnly("smmu7-cmdq").hasSize(2);
    smmu.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("smmu7-cmdq") && t.isAlive());
  }
}
