package org.smmulab.driver.alloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;

/**
 * A buddy allocator of naturally aligned, zeroed power-of-two blocks of physical memory (the
 * kernel's page allocator as the SMMU driver uses it: {@code alloc_pages} for table pages and
 * queues, small naturally aligned allocations for small tables).
 *
 * <p>It hands out memory only from the RAM ranges given at construction, so whatever else lives in
 * that memory (data buffers, other drivers) stays untouched. Each range is cut into the largest
 * naturally aligned blocks it holds; blocks split on demand and merge with their buddy on free, but
 * never across the edge of such a block, so every block stays inside one range.
 *
 * <p>Contracts:
 *
 * <ul>
 *   <li>{@link #allocate} returns a block of exactly the requested size, aligned to that size,
 *       whose bytes read as zero (zeroed with {@link Memory#write64} before it is returned). The
 *       smallest block is {@link #MIN_BLOCK_BYTES} bytes.
 *   <li>Running out is the checked {@link AllocatorExhaustedException}: a condition the caller
 *       handles, as the kernel handles {@code -ENOMEM}.
 *   <li>Freeing an address that is not the start of an outstanding block (a double free, or a block
 *       never allocated) is a driver bug and throws {@link IllegalStateException} naming the
 *       address; the allocator's state is unchanged.
 * </ul>
 *
 * <p>Locking: every method is thread-safe. The free lists and the table of outstanding blocks are
 * guarded by this object's monitor, held only for list operations; zeroing a new block runs outside
 * the monitor because the block already belongs to the caller.
 */
public final class PageAllocator {
  /** log2 of the smallest block. */
  public static final int MIN_ORDER = 6;

  /** The smallest block, in bytes (one cache line; the smallest SMMU queue or table). */
  public static final long MIN_BLOCK_BYTES = 1L << MIN_ORDER;

  private static final int MAX_ORDER = 62;

  private final Memory memory;
  private final List<RamRange> ranges;
  private final long totalBytes;

  /** Base of every root block (a maximal aligned block of one range) to its order. */
  private final TreeMap<Long, Integer> rootOrders = new TreeMap<>();

  /** Free blocks per order, lowest address first so that allocation is deterministic. */
  private final List<TreeSet<Long>> freeBlocks = new ArrayList<>();

  /** Outstanding blocks: base to order. */
  private final Map<Long, Integer> outstanding = new HashMap<>();

  private long bytesInUse;

  /**
   * @param memory where the blocks live and are zeroed
   * @param ranges the RAM this allocator owns; they must not overlap and must lie inside {@code
   *     memory}'s address space
   * @throws IllegalArgumentException if the list is empty, ranges overlap, or a range exceeds the
   *     memory's address space
   */
  public PageAllocator(Memory memory, List<RamRange> ranges) {
    this.memory = memory;
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("the allocator needs at least one RAM range");
    }
    List<RamRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(RamRange::base));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).base() < sorted.get(i - 1).end()) {
        throw new IllegalArgumentException(
            "RAM ranges " + sorted.get(i - 1) + " and " + sorted.get(i) + " overlap");
      }
    }
    int bits = memory.addressBits();
    long total = 0;
    for (RamRange r : sorted) {
      if (bits < 63 && r.end() > (1L << bits)) {
        throw new IllegalArgumentException(
            "RAM range " + r + " lies beyond the " + bits + "-bit physical address space");
      }
      total += r.size();
    }
    this.ranges = List.copyOf(sorted);
    this.totalBytes = total;
    for (int order = 0; order <= MAX_ORDER; order++) {
      freeBlocks.add(new TreeSet<>());
    }
    for (RamRange r : sorted) {
      long at = r.base();
      while (at < r.end()) {
        int alignOrder = at == 0 ? MAX_ORDER : Math.min(MAX_ORDER, Long.numberOfTrailingZeros(at));
        int fitOrder = 63 - Long.numberOfLeadingZeros(r.end() - at);
        int order = Math.min(alignOrder, fitOrder);
        rootOrders.put(at, order);
        freeBlocks.get(order).add(at);
        at += 1L << order;
      }
    }
  }

  /** The RAM ranges this allocator owns, sorted by base. */
  public List<RamRange> ranges() {
    return ranges;
  }

  /**
   * Allocates a zeroed block of {@code bytes} bytes aligned to {@code bytes}.
   *
   * @param bytes a power of two, at least {@link #MIN_BLOCK_BYTES}
   * @return the physical address of the block
   * @throws IllegalArgumentException if {@code bytes} is not a power of two of at least {@link
   *     #MIN_BLOCK_BYTES}
   * @throws AllocatorExhaustedException if no free block is large enough
   * @throws BusAbort if zeroing the block failed (the RAM range does not exist in {@code memory});
   *     the block is returned to the free lists first
   */
  public long allocate(long bytes) throws AllocatorExhaustedException, BusAbort {
    if (bytes < MIN_BLOCK_BYTES || Long.bitCount(bytes) != 1) {
      throw new IllegalArgumentException(
          "allocation size must be a power of two of at least "
              + MIN_BLOCK_BYTES
              + " bytes, got "
              + bytes);
    }
    int order = Long.numberOfTrailingZeros(bytes);
    long base = take(order);
    try {
      for (long pa = base; pa < base + bytes; pa += 8) {
        memory.write64(pa, 0);
      }
    } catch (BusAbort abort) {
      free(base);
      throw abort;
    }
    return base;
  }

  private synchronized long take(int order) throws AllocatorExhaustedException {
    int found = order;
    while (found <= MAX_ORDER && freeBlocks.get(found).isEmpty()) {
      found++;
    }
    if (found > MAX_ORDER) {
      throw new AllocatorExhaustedException(
          1L << order, totalBytes - bytesInUse, largestFreeBlockLocked());
    }
    long base = freeBlocks.get(found).pollFirst();
    while (found > order) {
      found--;
      freeBlocks.get(found).add(base + (1L << found));
    }
    outstanding.put(base, order);
    bytesInUse += 1L << order;
    return base;
  }

  /**
   * Returns the block that starts at {@code address} to the free lists, merging it with its free
   * buddies.
   *
   * @throws IllegalStateException if {@code address} is not the base of an outstanding block (freed
   *     twice, or never allocated)
   */
  public synchronized void free(long address) {
    Integer order = outstanding.remove(address);
    if (order == null) {
      throw new IllegalStateException(
          String.format(
              "free of PA 0x%x, which is not an outstanding allocation (double free, or never"
                  + " allocated)",
              address));
    }
    bytesInUse -= 1L << order;
    long base = address;
    int o = order;
    int rootOrder = rootOrders.floorEntry(base).getValue();
    while (o < rootOrder) {
      long buddy = base ^ (1L << o);
      if (!freeBlocks.get(o).remove(buddy)) {
        break;
      }
      base = Math.min(base, buddy);
      o++;
    }
    freeBlocks.get(o).add(base);
  }

  /** The size in bytes of the outstanding block at {@code address}, or 0 if there is none. */
  public synchronized long allocationSize(long address) {
    Integer order = outstanding.get(address);
    return order == null ? 0 : 1L << order;
  }

  /** A consistent snapshot of the accounting. */
  public synchronized AllocatorStats stats() {
    return new AllocatorStats(totalBytes, bytesInUse, outstanding.size(), largestFreeBlockLocked());
  }

  /** Bytes in outstanding blocks. */
  public synchronized long bytesInUse() {
    return bytesInUse;
  }

  /** Number of outstanding blocks. */
  public synchronized int allocationsOutstanding() {
    return outstanding.size();
  }

  private long largestFreeBlockLocked() {
    for (int o = MAX_ORDER; o >= 0; o--) {
      if (!freeBlocks.get(o).isEmpty()) {
        return 1L << o;
      }
    }
    return 0;
  }
}
