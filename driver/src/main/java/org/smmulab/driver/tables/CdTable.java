package org.smmulab.driver.tables;

import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.cd.L1CdDescriptor;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;

/**
 * One master's CD table (Linux {@code arm_smmu_alloc_cd_tables}): a single CD without SubstreamIDs;
 * a linear table of {@code 2^ssidBits} CDs when that is at most 1024 or the instance has no 2-level
 * CD tables; otherwise 2-level with 1024-CD (64 KiB) leaves allocated on first use (S1Fmt 2). CDs
 * start invalid (zero).
 *
 * <p>Thread-safety: one lock guards leaf allocation; addresses may be asked for from any thread.
 */
public final class CdTable {
  private static final int LEAF_BITS = 10;
  private static final int CD_BYTES = 64;

  private final Memory memory;
  private final PageAllocator allocator;
  private final int ssidBits;
  private final boolean twoLevel;
  private final long base;
  private final long[] leaves;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param ssidBits the master's SubstreamID bits (capped by the instance's SSIDSIZE by the caller)
   * @param cd2l whether the instance has 2-level CD tables
   */
  public CdTable(Memory memory, PageAllocator allocator, int ssidBits, boolean cd2l)
      throws AllocatorExhaustedException, BusAbort {
    this.memory = memory;
    this.allocator = allocator;
    this.ssidBits = ssidBits;
    this.twoLevel = cd2l && ssidBits > LEAF_BITS;
    if (twoLevel) {
      int l1Entries = 1 << (ssidBits - LEAF_BITS);
      base = allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, 8L * l1Entries));
      leaves = new long[l1Entries];
    } else {
      base =
          allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, (long) CD_BYTES << ssidBits));
      leaves = null;
    }
  }

  /** STE.S1ContextPtr. */
  public long base() {
    return base;
  }

  /** STE.S1Fmt. */
  public int s1Fmt() {
    return twoLevel ? SteFields.S1FMT_2LVL_64K : SteFields.S1FMT_LINEAR;
  }

  /** STE.S1CDMax. */
  public int s1CdMax() {
    return ssidBits;
  }

  /**
   * Makes sure the leaf holding CD {@code ssid} exists.
   *
   * @return whether a new L1 descriptor was written (the caller then invalidates it with CFGI_CD,
   *     LEAF = 0)
   */
  public boolean ensureLeaf(int ssid) throws AllocatorExhaustedException, BusAbort {
    requireCovered(ssid);
    if (!twoLevel) {
      return false;
    }
    int l1 = ssid >>> LEAF_BITS;
    lock.lock();
    try {
      if (leaves[l1] != 0) {
        return false;
      }
      long leaf = allocator.allocate((long) CD_BYTES << LEAF_BITS);
      leaves[l1] = leaf;
      memory.write64(base + 8L * l1, L1CdDescriptor.of(leaf).qword(0));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The physical address of CD {@code ssid}.
   *
   * @throws IllegalStateException if its leaf was not installed
   */
  public long cdAddress(int ssid) {
    requireCovered(ssid);
    if (!twoLevel) {
      return base + (long) ssid * CD_BYTES;
    }
    lock.lock();
    try {
      long leaf = leaves[ssid >>> LEAF_BITS];
      if (leaf == 0) {
        throw new IllegalStateException("no CD leaf for SubstreamID " + ssid);
      }
      return leaf + (long) (ssid & ((1 << LEAF_BITS) - 1)) * CD_BYTES;
    } finally {
      lock.unlock();
    }
  }

  private void requireCovered(int ssid) {
    if (ssid < 0 || (long) ssid >>> ssidBits != 0) {
      throw new IllegalArgumentException(
          "SubstreamID " + ssid + " is beyond the master's " + ssidBits + " bits");
    }
  }
}
