package org.smmulab.driver.tables;

import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.ste.L1StreamDescriptor;
import org.smmulab.arch.ste.Ste;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;
import org.smmulab.driver.probe.SmmuFeatures;

/**
 * An instance's stream table (Linux {@code arm_smmu_init_strtab}): linear when the instance has at
 * most 8 StreamID bits or no 2-level support, else 2-level with SPLIT 8 — 256-STE leaves (16 KiB)
 * allocated when the first master with a StreamID in their range is added, L1 descriptors with SPAN
 * 9. Every STE starts as an abort STE. The level-1 table covers at most 2^17 leaves, so StreamIDs
 * above 25 bits are not usable, as in Linux.
 *
 * <p>Thread-safety: {@link #ensureLeaf} and {@link #steAddress} may be called from any thread; one
 * lock guards leaf allocation.
 */
public final class StreamTable {
  /** StreamID bits resolved by a leaf. */
  public static final int SPLIT = 8;

  private static final int MAX_L1_BITS = 17;
  private static final int STE_BYTES = 64;

  private final Memory memory;
  private final PageAllocator allocator;
  private final boolean twoLevel;
  private final int log2Size;
  private final long base;
  private final long[] leaves;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Allocates the table (the whole linear table, or the level-1 table) filled with abort STEs or
   * invalid L1 descriptors.
   */
  public StreamTable(Memory memory, PageAllocator allocator, SmmuFeatures features)
      throws AllocatorExhaustedException, BusAbort {
    this.memory = memory;
    this.allocator = allocator;
    this.twoLevel = features.sidBits() > SPLIT && features.twoLevelStreamTable();
    if (twoLevel) {
      this.log2Size = Math.min(features.sidBits(), SPLIT + MAX_L1_BITS);
      int l1Entries = 1 << (log2Size - SPLIT);
      this.base = allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, 8L * l1Entries));
      this.leaves = new long[l1Entries];
    } else {
      this.log2Size = Math.min(features.sidBits(), SPLIT + 8);
      this.base = allocator.allocate((long) STE_BYTES << log2Size);
      this.leaves = null;
      fillAbort(base, 1 << log2Size);
    }
  }

  /** Whether the table is 2-level. */
  public boolean twoLevel() {
    return twoLevel;
  }

  /** STRTAB_BASE.ADDR. */
  public long base() {
    return base;
  }

  /** STRTAB_BASE_CFG: FMT, SPLIT and LOG2SIZE. */
  public int baseCfg() {
    return twoLevel ? 1 << 16 | SPLIT << 6 | log2Size : log2Size;
  }

  /** Whether {@code sid} fits the table. */
  public boolean covers(int sid) {
    return Integer.toUnsignedLong(sid) >>> log2Size == 0;
  }

  /**
   * Makes sure the leaf holding {@code sid} exists (2-level tables).
   *
   * @return whether a new leaf was installed: its L1 descriptor changed, so the caller must
   *     invalidate it on the instance (CFGI_STE with LEAF = 0) before relying on it
   * @throws IllegalArgumentException if {@code sid} is beyond the table
   */
  public boolean ensureLeaf(int sid) throws AllocatorExhaustedException, BusAbort {
    requireCovered(sid);
    if (!twoLevel) {
      return false;
    }
    int l1 = sid >>> SPLIT;
    lock.lock();
    try {
      if (leaves[l1] != 0) {
        return false;
      }
      long leaf = allocator.allocate((long) STE_BYTES << SPLIT);
      fillAbort(leaf, 1 << SPLIT);
      leaves[l1] = leaf;
      memory.write64(base + 8L * l1, L1StreamDescriptor.of(leaf, SPLIT + 1).qword(0));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The physical address of the STE of {@code sid}.
   *
   * @throws IllegalStateException if its leaf was not installed
   */
  public long steAddress(int sid) {
    requireCovered(sid);
    if (!twoLevel) {
      return base + (long) sid * STE_BYTES;
    }
    lock.lock();
    try {
      long leaf = leaves[sid >>> SPLIT];
      if (leaf == 0) {
        throw new IllegalStateException("no stream-table leaf for StreamID " + sid);
      }
      return leaf + (long) (sid & ((1 << SPLIT) - 1)) * STE_BYTES;
    } finally {
      lock.unlock();
    }
  }

  private void requireCovered(int sid) {
    if (!covers(sid)) {
      throw new IllegalArgumentException(
          "StreamID "
              + Integer.toUnsignedString(sid)
              + " is beyond the "
              + log2Size
              + "-bit table");
    }
  }

  private void fillAbort(long address, int count) throws BusAbort {
    long[] abort = Ste.builder().set(org.smmulab.arch.ste.SteFields.V, 1).build().toQwords();
    for (int i = 0; i < count; i++) {
      for (int q = 0; q < abort.length; q++) {
        if (abort[q] != 0) {
          memory.write64(address + (long) i * STE_BYTES + 8L * q, abort[q]);
        }
      }
    }
  }
}
