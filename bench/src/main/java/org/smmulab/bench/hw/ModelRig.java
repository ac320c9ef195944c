package org.smmulab.bench.hw;

import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import java.util.List;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.Stage;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.alloc.RamRange;
import org.smmulab.driver.entry.ContextDescriptors;
import org.smmulab.driver.entry.EntryOptions;
import org.smmulab.driver.entry.StreamTableEntries;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.PageTableConfig;
import org.smmulab.driver.pgtable.Prot;
import org.smmulab.hw.memory.PhysicalMemory;
import org.smmulab.hw.smmu.Smmu;
import org.smmulab.hw.smmu.SmmuConfig;

/**
 * One enabled SMMU instance with a stage-1 stream whose 4-level 4 KiB table maps {@code pages}
 * consecutive pages from {@link #IOVA}, and a command queue the benchmark can fill. The tables and
 * entries are built with the driver's page table and entry builders and written to memory directly;
 * commands go through the queue registers.
 */
final class ModelRig {
  static final int SID = 1;
  static final long IOVA = 0x12_0000_0000L;
  static final int CMDQ_LOG2 = 12;
  private static final long STRTAB = 0x100_0000L;
  private static final long CD = 0x110_0000L;
  private static final long CMDQ = 0x120_0000L;
  private static final long RAM = 0x4000_0000L;
  private static final int SPIN_POLLS = 256;

  final PhysicalMemory memory = new PhysicalMemory(44);
  final Smmu smmu;
  final RegisterBus regs;
  private int prod;

  ModelRig(SmmuConfig config, int pages) throws Exception {
    smmu = new Smmu("bench", config, memory);
    regs = smmu.registers();
    PageAllocator allocator = new PageAllocator(memory, List.of(new RamRange(RAM, 64L << 20)));
    IoPageTable table =
        IoPageTable.create(
            PageTableConfig.of(Stage.STAGE_1, Granule.SIZE_4K, 48, config.oasBits()),
            memory,
            allocator);
    for (int i = 0; i < pages; i++) {
      table.map(IOVA + i * 4096L, 0x8_0000_0000L + i * 4096L, 4096, Prot.READ | Prot.WRITE);
    }
    write(
        CD,
        ContextDescriptors.s1Domain(1, table.ttbr(), table.tcr(), table.mair(), false).toQwords());
    write(
        STRTAB + SID * 64L,
        StreamTableEntries.cdTable(
                EntryOptions.PLAIN, CD, SteFields.S1FMT_LINEAR, 0, 0, false, false)
            .toQwords());
    regs.write64(STRTAB_BASE, STRTAB);
    regs.write32(STRTAB_BASE_CFG, 8);
    regs.write64(CMDQ_BASE, CMDQ | CMDQ_LOG2);
    regs.write32(CMDQ_PROD, 0);
    regs.write32(CMDQ_CONS, 0);
    regs.write32(CR0, 0b1001);
    while (regs.read32(CR0ACK) != 0b1001) {
      Thread.onSpinWait();
    }
  }

  private void write(long address, long[] qwords) throws BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }

  /**
   * Writes the commands then one PROD update; waits until all are consumed, polling CONS the way a
   * driver does: spinning first, then yielding the processor between reads (on a machine with more
   * runnable threads than cores, pure spinning would keep an asynchronous consumer thread from
   * running).
   */
  void submit(Command[] commands) throws BusAbort {
    int mask = (1 << CMDQ_LOG2) - 1;
    for (Command c : commands) {
      long slot = CMDQ + (long) (prod & mask) * 16;
      memory.write64(slot, c.qword(0));
      memory.write64(slot + 8, c.qword(1));
      prod = (prod + 1) & ((2 << CMDQ_LOG2) - 1);
    }
    regs.write32(CMDQ_PROD, prod);
    for (int polls = 0; (regs.read32(CMDQ_CONS) & ((2 << CMDQ_LOG2) - 1)) != prod; polls++) {
      if (polls < SPIN_POLLS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }
}
