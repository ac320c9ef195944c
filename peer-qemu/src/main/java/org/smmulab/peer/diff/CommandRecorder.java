package org.smmulab.peer.diff;

import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_BASE;
import static org.smmulab.arch.regs.RegisterOffsets.CMDQ_PROD;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cmd.Command;

/**
 * Records every command the driver hands to the SMMU, the way the SMMU sees them: it sits between
 * the driver and the machine, remembers the command-queue base from the CMDQ_BASE write, keeps the
 * words written into the queue, and on each CMDQ_PROD write decodes the entries between the old and
 * the new PROD. It reads the machine only for an entry it did not see written (none, when the
 * driver programs the queue through it), so recording costs nothing on QEMU.
 *
 * <p>Thread-safety: all methods are synchronized; the driver may submit from any thread.
 */
public final class CommandRecorder {
  private static final long BASE_ADDR_MASK = 0x000f_ffff_ffff_ffe0L;

  private final Memory memory;
  private final RegisterBus registers;
  private final Map<Long, long[]> slots = new HashMap<>();
  private final List<Command> issued = new ArrayList<>();
  private long base = -1;
  private int log2Size;
  private int lastProd;

  /**
   * @param memory the machine's memory
   * @param registers the machine's SMMU registers
   */
  public CommandRecorder(Memory memory, RegisterBus registers) {
    this.memory = memory;
    this.registers = registers;
  }

  /** The commands issued since the last call, in queue order; clears the record. */
  public synchronized List<Command> drain() {
    List<Command> out = List.copyOf(issued);
    issued.clear();
    return out;
  }

  private synchronized void wrote(long pa, long value) {
    if (base < 0 || pa < base || pa >= base + (16L << log2Size)) {
      return;
    }
    long index = (pa - base) >>> 4;
    slots.computeIfAbsent(index, i -> new long[2])[(int) ((pa - base) >>> 3) & 1] = value;
  }

  private synchronized void queueBase(long value) {
    base = value & BASE_ADDR_MASK;
    log2Size = (int) (value & 0x1f);
    slots.clear();
    lastProd = 0;
  }

  private synchronized void prod(int value) {
    if (base < 0) {
      return;
    }
    int mask = (2 << log2Size) - 1;
    int target = value & mask;
    for (int p = lastProd; p != target; p = (p + 1) & mask) {
      long slot = p & ((1 << log2Size) - 1);
      long[] q = slots.get(slot);
      issued.add(q != null ? Command.decode(q[0], q[1]) : readEntry(base + 16 * slot));
    }
    lastProd = target;
  }

  private Command readEntry(long pa) {
    try {
      return Command.decode(memory.read64(pa), memory.read64(pa + 8));
    } catch (BusAbort abort) {
      throw new IllegalStateException(
          "the command queue at 0x" + Long.toHexString(pa) + " is not memory", abort);
    }
  }

  /** The memory to give the driver. */
  public Memory memory() {
    return new Memory() {
      @Override
      public long read64(long pa) throws BusAbort {
        return memory.read64(pa);
      }

      @Override
      public void write64(long pa, long value) throws BusAbort {
        memory.write64(pa, value);
        wrote(pa, value);
      }

      @Override
      public boolean compareAndSet64(long pa, long expected, long update) throws BusAbort {
        boolean swapped = memory.compareAndSet64(pa, expected, update);
        if (swapped) {
          wrote(pa, update);
        }
        return swapped;
      }

      @Override
      public int read32(long pa) throws BusAbort {
        return memory.read32(pa);
      }

      @Override
      public void write32(long pa, int value) throws BusAbort {
        memory.write32(pa, value);
        long word = pa & ~7L;
        long old = slotWord(word);
        int shift = (int) (pa & 4) * 8;
        wrote(word, old & ~(0xffff_ffffL << shift) | Integer.toUnsignedLong(value) << shift);
      }

      @Override
      public byte read8(long pa) throws BusAbort {
        return memory.read8(pa);
      }

      @Override
      public void write8(long pa, byte value) throws BusAbort {
        memory.write8(pa, value);
      }

      @Override
      public void read(long pa, byte[] dst, int offset, int length) throws BusAbort {
        memory.read(pa, dst, offset, length);
      }

      @Override
      public void write(long pa, byte[] src, int offset, int length) throws BusAbort {
        memory.write(pa, src, offset, length);
      }

      @Override
      public int addressBits() {
        return memory.addressBits();
      }
    };
  }

  private synchronized long slotWord(long pa) {
    if (base < 0 || pa < base || pa >= base + (16L << log2Size)) {
      return 0;
    }
    long[] q = slots.get((pa - base) >>> 4);
    return q == null ? 0 : q[(int) ((pa - base) >>> 3) & 1];
  }

  /** The SMMU registers to give the driver. */
  public RegisterBus registers() {
    return new RegisterBus() {
      @Override
      public int read32(long offset) {
        return registers.read32(offset);
      }

      @Override
      public void write32(long offset, int value) {
        if (offset == CMDQ_PROD) {
          prod(value);
        }
        registers.write32(offset, value);
      }

      @Override
      public long read64(long offset) {
        return registers.read64(offset);
      }

      @Override
      public void write64(long offset, long value) {
        if (offset == CMDQ_BASE) {
          queueBase(value);
        }
        registers.write64(offset, value);
      }
    };
  }
}
