package org.smmulab.hw.smmu.e2e;

import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.CR0;
import static org.smmulab.arch.regs.RegisterOffsets.CR0ACK;
import static org.smmulab.arch.regs.RegisterOffsets.CR2;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_CONS;
import static org.smmulab.arch.regs.RegisterOffsets.EVTQ_PROD;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.STRTAB_BASE_CFG;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.hw.smmu.Smmu;

/**
 * The minimum of software the hardware tests need: queues and a linear stream table in memory, the
 * enable sequence, command submission with CMD_SYNC and CONS polling, and event reading. Not a
 * driver: it does no error recovery unless a test does it by hand.
 */
final class SoftwareSide {
  static final long STRTAB = 0x100_0000L;
  static final long CMDQ = 0x110_0000L;
  static final long EVTQ = 0x120_0000L;
  static final int CR0_SMMUEN = 1;
  static final int CR0_EVTQEN = 1 << 2;
  static final int CR0_CMDQEN = 1 << 3;

  final Smmu smmu;
  final RegisterBus regs;
  final Memory memory;
  final int cmdqLog2;
  final int evtqLog2;
  private int prod;
  private int evtCons;

  SoftwareSide(Smmu smmu, Memory memory, int cmdqLog2, int evtqLog2) {
    this.smmu = smmu;
    this.regs = smmu.registers();
    this.memory = memory;
    this.cmdqLog2 = cmdqLog2;
    this.evtqLog2 = evtqLog2;
  }

  /** Programs the tables and queues and enables everything, polling each ACK. */
  SoftwareSide enable(int streamTableLog2) {
    regs.write32(CR0, 0);
    Registers.awaitEqual(regs, CR0ACK, 0);
    regs.write32(CR2, 2);
    regs.write64(STRTAB_BASE, STRTAB);
    regs.write32(STRTAB_BASE_CFG, streamTableLog2);
    regs.write64(CMDQ_BASE, CMDQ | cmdqLog2);
    regs.write32(CMDQ_PROD, 0);
    regs.write32(CMDQ_CONS, 0);
    regs.write64(EVTQ_BASE, EVTQ | evtqLog2);
    regs.write32(EVTQ_PROD, 0);
    regs.write32(EVTQ_CONS, 0);
    int cr0 = CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN;
    regs.write32(CR0, cr0);
    Registers.awaitEqual(regs, CR0ACK, cr0);
    return this;
  }

  /** Writes an entry of 64-bit words. */
  void write(long address, long[] qwords) throws BusAbort {
    for (int i = 0; i < qwords.length; i++) {
      memory.write64(address + 8L * i, qwords[i]);
    }
  }

  /** Places commands in the queue (waiting for space) and moves PROD once. */
  void post(Command... commands) throws BusAbort {
    for (Command c : commands) {
      waitForSpace();
      long slot = CMDQ + (long) (prod & ((1 << cmdqLog2) - 1)) * 16;
      memory.write64(slot, c.qword(0));
      memory.write64(slot + 8, c.qword(1));
      prod = (prod + 1) & ((2 << cmdqLog2) - 1);
      regs.write32(CMDQ_PROD, prod);
    }
  }

  /** Posts the commands and a CMD_SYNC, and waits until CONS passed the sync. */
  void submit(Command... commands) throws BusAbort {
    post(commands);
    post(Command.cmdSync(Command.CS_SEV, 0, 0, 0, 0));
    awaitConsumed();
  }

  /** Waits until CONS equals PROD. */
  void awaitConsumed() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((regs.read32(CMDQ_CONS) & ((2 << cmdqLog2) - 1)) != prod) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            String.format("CMDQ_CONS 0x%x never reached PROD 0x%x", regs.read32(CMDQ_CONS), prod));
      }
      Thread.onSpinWait();
    }
  }

  int prod() {
    return prod;
  }

  private void waitForSpace() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int mask = (2 << cmdqLog2) - 1;
    while (true) {
      int cons = regs.read32(CMDQ_CONS) & mask;
      boolean full = ((prod ^ cons) & mask) == 1 << cmdqLog2;
      if (!full) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("command queue stayed full");
      }
      Thread.onSpinWait();
    }
  }

  /** Reads every new event record and moves EVTQ_CONS past them. */
  List<EventRecord> drainEvents() throws BusAbort {
    List<EventRecord> out = new ArrayList<>();
    int mask = (2 << evtqLog2) - 1;
    int eventProd = regs.read32(EVTQ_PROD);
    while (((eventProd ^ evtCons) & mask) != 0) {
      long slot = EVTQ + (long) (evtCons & ((1 << evtqLog2) - 1)) * 32;
      out.add(
          EventRecord.decode(
              memory.read64(slot),
              memory.read64(slot + 8),
              memory.read64(slot + 16),
              memory.read64(slot + 24)));
      evtCons = (evtCons & ~mask) | ((evtCons + 1) & mask);
    }
    regs.write32(EVTQ_CONS, evtCons);
    return out;
  }

  /** Acknowledges an event-queue overflow by copying OVFLG into OVACKFLG. */
  void acknowledgeOverflow() {
    int ovflg = regs.read32(EVTQ_PROD) & (1 << 31);
    evtCons = (evtCons & ~(1 << 31)) | ovflg;
    regs.write32(EVTQ_CONS, evtCons);
  }
}
