package org.smmulab.peer.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;

import org.junit.jupiter.api.Test;
import org.smmulab.arch.cmd.Command;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuPresets;

class CommandRecorderTest {
  private static final long QUEUE = 0x4020_0000L;

  @Test
  void decodesTheEntriesBetweenProdWritesAcrossTheWrap() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(44);
    try (Smmu smmu = new Smmu("s", SmmuPresets.qemuLike(), memory)) {
      CommandRecorder rec = new CommandRecorder(memory, smmu.registers());
      var regs = rec.registers();
      var mem = rec.memory();
      regs.write64(CMDQ_BASE, 1L << 62 | QUEUE | 2);
      Command[] cmds = {
        Command.cfgiAll(), Command.tlbiNsnhAll(), Command.cfgiSte(0x10, true), Command.cfgiAll()
      };
      for (int i = 0; i < 3; i++) {
        mem.write64(QUEUE + 16L * i, cmds[i].qword(0));
        mem.write64(QUEUE + 16L * i + 8, cmds[i].qword(1));
      }
      regs.write32(CMDQ_PROD, 3);
      assertThat(rec.drain()).containsExactly(cmds[0], cmds[1], cmds[2]);
      assertThat(rec.drain()).isEmpty();

      mem.write64(QUEUE + 48, cmds[3].qword(0));
      mem.write64(QUEUE + 56, cmds[3].qword(1));
      mem.write64(QUEUE, cmds[1].qword(0));
      mem.write64(QUEUE + 8, cmds[1].qword(1));
      regs.write32(CMDQ_PROD, 1 << 2 | 1);
      assertThat(rec.drain()).containsExactly(cmds[3], cmds[1]);
    }
  }

  @Test
  void writesOutsideTheQueueAreNotCommandsAndUnseenEntriesAreReadBack() throws Exception {
    PhysicalMemory memory = new PhysicalMemory(44);
    try (Smmu smmu = new Smmu("s", SmmuPresets.qemuLike(), memory)) {
      CommandRecorder rec = new CommandRecorder(memory, smmu.registers());
      rec.memory().write64(QUEUE, Command.cfgiAll().qword(0));
      rec.memory().write64(QUEUE + 8, Command.cfgiAll().qword(1));
      rec.registers().write64(CMDQ_BASE, QUEUE | 2);
      rec.memory().write64(QUEUE + 64, 0x1234);
      assertThat(memory.read64(QUEUE + 64)).isEqualTo(0x1234);
      rec.registers().write32(CMDQ_PROD, 1);
      assertThat(rec.drain())
          .as("the entry written before CMDQ_BASE was not seen; it is read from memory")
          .containsExactly(Command.cfgiAll());
    }
  }
}
