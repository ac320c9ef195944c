package org.smmulab.driver.domain;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.invs.InvalidationArray;
import org.smmulab.driver.invs.InvalidationType;
import org.smmulab.driver.invs.InvalidationWalker;
import org.smmulab.driver.pgtable.AlreadyMappedException;
import org.smmulab.driver.pgtable.IoPageTable;
import org.smmulab.driver.pgtable.UnmapResult;

/**
 * A domain that translates through its own I/O page table (Linux {@code struct arm_smmu_domain}
 * with its {@code io_pgtable_ops}), at stage 1 or stage 2, and may be attached by masters behind
 * any number of SMMU instances at once.
 *
 * <p>The domain holds no ASID or VMID: its cache tags live in {@link #invalidations()}, one entry
 * per (domain, instance), next to the ATC entries of its ATS masters. Unmap is strict: it returns
 * only after every instance and ATC in the array has dropped what the unmapped range may have left
 * behind.
 *
 * <p>Thread-safety: {@link #map}, {@link #unmap} and {@link #iovaToPhys} may run concurrently with
 * each other on disjoint ranges (the page table's rule) and with attach and detach; the
 * invalidation array is read without a lock by the {@link InvalidationWalker} and changed only
 * under the driver's tag lock (see {@link InvalidationArray}).
 */
public final class PagingDomain implements Domain {
  private final String name;
  private final IoPageTable table;
  private final InvalidationWalker walker;
  private final AtomicReference<InvalidationArray> invalidations;
  private final boolean leafOnlyInjected;

  /**
   * @param name the domain's name, for reports
   * @param table the domain's page table (stage 1 or 2)
   * @param walker sends the invalidations after unmap
   * @param tagLock the driver's tag lock, guarding changes to the invalidation array
   */
  public PagingDomain(
      String name, IoPageTable table, InvalidationWalker walker, ReentrantLock tagLock) {
    this(name, table, walker, tagLock, false);
  }

  /**
   * @param leafOnlyInjected the injected bug {@code leaf-only-table-free}: unmaps that free table
   *     pages still invalidate leaf entries only
   */
  public PagingDomain(
      String name,
      IoPageTable table,
      InvalidationWalker walker,
      ReentrantLock tagLock,
      boolean leafOnlyInjected) {
    this.leafOnlyInjected = leafOnlyInjected;
    this.name = Objects.requireNonNull(name, "name");
    this.table = Objects.requireNonNull(table, "table");
    this.walker = Objects.requireNonNull(walker, "walker");
    this.invalidations = new AtomicReference<>(InvalidationArray.empty(tagLock));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DomainType type() {
    return table.config().stage() == Stage.STAGE_1 ? DomainType.PAGING_S1 : DomainType.PAGING_S2;
  }

  /** The cache-tag type of this domain: S1_ASID for stage 1, S2_VMID for stage 2. */
  public InvalidationType tagType() {
    return type() == DomainType.PAGING_S1 ? InvalidationType.S1_ASID : InvalidationType.S2_VMID;
  }

  /** The page table. */
  public IoPageTable table() {
    return table;
  }

  /**
   * The domain's published invalidation array. Read it with {@code getAcquire} (or {@code get});
   * replace it only under the tag lock, with {@code setRelease} (or {@code set}).
   */
  public AtomicReference<InvalidationArray> invalidations() {
    return invalidations;
  }

  /** The log2 of the domain's smallest page size: the granule every instance must support. */
  public int granuleShift() {
    return Long.numberOfTrailingZeros(table.config().pgsizeBitmap());
  }

  /**
   * Maps {@code [iova, iova + size)} to {@code [pa, pa + size)} with {@link
   * org.smmulab.driver.pgtable.Prot} flags. No invalidation is needed: nothing valid was replaced.
   *
   * <p>A map that fails while installing leaves (table memory ran out, or table memory aborted)
   * removes the leaves it wrote; an SMMU may have cached them meanwhile (it may fill its TLB with
   * anything the tables allow), so the range is then invalidated, without a level hint, before the
   * failure is reported (the kernel unmaps what a failed {@code iommu_map} mapped).
   *
   * @throws AlreadyMappedException if any part is mapped; nothing changed
   * @throws AllocatorExhaustedException if table memory ran out; nothing is mapped
   * @throws IllegalArgumentException for a malformed request (see {@link IoPageTable#map})
   */
  public void map(long iova, long pa, long size, int prot)
      throws AlreadyMappedException, AllocatorExhaustedException, BusAbort {
    try {
      table.map(iova, pa, size, prot);
    } catch (AllocatorExhaustedException | BusAbort failure) {
      walker.invalidateRange(invalidations, iova, size, granuleSize(), false);
      throw failure;
    }
  }

  private long granuleSize() {
    return 1L << granuleShift();
  }

  /**
   * Unmaps up to {@code size} bytes from {@code iova} (see {@link IoPageTable#unmap}) and, before
   * returning, invalidates the cleared range on every instance and ATC the domain is attached
   * through: leaf-only, with the leaf level as a hint, when every cleared leaf had one size and no
   * table page was freed ({@link UnmapResult#leafOnlyInvalidation()}); otherwise a non-leaf
   * invalidation, which carries no level hint and also clears walk caches.
   *
   * @return what was unmapped
   */
  public UnmapResult unmap(long iova, long size) throws BusAbort {
    UnmapResult result = table.unmap(iova, size);
    if (result.unmappedBytes() > 0) {
      boolean leaf = result.tablesFreed() ? leafOnlyInjected : result.leafOnlyInvalidation();
      walker.invalidateRange(
          invalidations, result.start(), result.end() - result.start(), result.leafSize(), leaf);
    }
    return result;
  }

  /** The physical address {@code iova} maps to, or 0 when it is not mapped. */
  public long iovaToPhys(long iova) throws BusAbort {
    return table.iovaToPhys(iova);
  }

  /** Invalidates everything the domain may have cached, everywhere it is attached. */
  public void flushAll() {
    walker.invalidateAll(invalidations);
  }

  @Override
  public String toString() {
    return name + "(" + type() + ")";
  }
}
