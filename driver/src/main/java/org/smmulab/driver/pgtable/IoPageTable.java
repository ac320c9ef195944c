package org.smmulab.driver.pgtable;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.smmulab.arch.bus.BusAbort;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.pte.Granule;
import org.smmulab.arch.pte.LpaeDescriptor;
import org.smmulab.arch.pte.LpaeDescriptor.Kind;
import org.smmulab.arch.pte.Stage;
import org.smmulab.driver.alloc.AllocatorExhaustedException;
import org.smmulab.driver.alloc.PageAllocator;

/**
 * One LPAE I/O page table in memory the SMMU walks (the kernel's {@code io-pgtable-arm} for the
 * {@code ARM_64_LPAE_S1} and {@code ARM_64_LPAE_S2} formats).
 *
 * <p>Contracts:
 *
 * <ul>
 *   <li>{@link #map} splits a request into the largest page or block sizes of the config that the
 *       alignment of each piece allows (the kernel's {@code iommu_map} over {@code map_pages}). It
 *       changes nothing if any part of the range is already mapped ({@link
 *       AlreadyMappedException}). A block is never installed over a table, even an empty one (the
 *       table must first be freed by a block-sized unmap, which tells the caller to invalidate the
 *       walk caches).
 *   <li>If the allocator runs out while map installs tables, map removes the leaves it wrote and
 *       throws {@link AllocatorExhaustedException}: no translation changes. Tables it installed
 *       stay, empty, and are reused by later maps or freed by {@link #destroy}; freeing them at
 *       once would race with concurrent maps that found them.
 *   <li>{@link #unmap} clears whole leaves only: a piece that starts inside a larger block stops
 *       the unmap (the kernel no longer splits blocks), and so does a piece that is not mapped. It
 *       returns what must be invalidated as an {@link UnmapResult}.
 *   <li>A table page is freed only when a block-sized piece of an unmap covers the whole table (as
 *       in the kernel); tables emptied by smaller unmaps stay until then or until {@link #destroy}.
 *       Whenever a table page is freed, {@link UnmapResult#tablesFreed()} is set.
 *   <li>Bad requests (no READ or WRITE, zero or unaligned sizes, addresses beyond the IAS or OAS)
 *       are driver bugs and throw {@link IllegalArgumentException} naming the value.
 *   <li>A {@link BusAbort} means the table memory is not RAM: a platform error passed on as is.
 * </ul>
 *
 * <p>Implementation notes (concurrency). {@link #map}, {@link #unmap}, {@link #iovaToPhys} and
 * {@link #walk} may run concurrently from any number of threads as long as concurrent map and unmap
 * calls cover disjoint ranges; there is no lock. The argument, once:
 *
 * <ul>
 *   <li>A table page is published by {@link Memory#compareAndSet64} of its descriptor into the
 *       invalid parent slot, after the allocator zeroed the page. The compare-and-set is a release
 *       and every descriptor read is a {@link Memory#read64} acquire, so whoever finds the table
 *       descriptor also sees the zeroed page. A thread that loses the race returns its page to the
 *       allocator and descends into the winner's table.
 *   <li>Leaves are written with a plain {@link Memory#write64} (release): a leaf slot belongs to
 *       exactly one range, and disjoint ranges never share one. The SMMU, walking concurrently,
 *       sees the old or the new whole descriptor.
 *   <li>A table is freed only by an unmap whose range covers all of it; no disjoint concurrent call
 *       can be inside it, so clearing the parent slot and then freeing the subtree is safe. The
 *       SMMU may still hold the table in its walk caches, which is why the result asks for a
 *       non-leaf invalidation.
 *   <li>{@link #destroy} must not run concurrently with anything else on this table, and the table
 *       must no longer be installed in any STE or CD (the kernel's {@code free_io_pgtable_ops}).
 * </ul>
 */
public final class IoPageTable {
  private final PageTableConfig config;
  private final PageTableGeometry geometry;
  private final Granule granule;
  private final Memory memory;
  private final PageAllocator allocator;
  private final long pgd;
  private final AtomicBoolean destroyed = new AtomicBoolean();

  private IoPageTable(
      PageTableConfig config,
      PageTableGeometry geometry,
      Memory memory,
      PageAllocator allocator,
      long pgd) {
    this.config = config;
    this.geometry = geometry;
    this.granule = config.granule();
    this.memory = memory;
    this.allocator = allocator;
    this.pgd = pgd;
  }

  /**
   * Builds an empty table: allocates a zeroed PGD of {@link PageTableGeometry#pgdBytes()} bytes (at
   * least {@link PageAllocator#MIN_BLOCK_BYTES}), aligned to its size.
   *
   * @param memory the memory the table lives in (the memory the SMMU walks)
   * @param allocator where the PGD and every table page come from and go back to
   * @throws IllegalArgumentException if the config has no valid geometry
   * @throws AllocatorExhaustedException if the PGD cannot be allocated
   * @throws BusAbort if the allocator's memory could not be zeroed
   */
  public static IoPageTable create(PageTableConfig config, Memory memory, PageAllocator allocator)
      throws AllocatorExhaustedException, BusAbort {
    PageTableGeometry geometry = new PageTableGeometry(config);
    long pgd = allocator.allocate(Math.max(PageAllocator.MIN_BLOCK_BYTES, geometry.pgdBytes()));
    return new IoPageTable(config, geometry, memory, allocator, pgd);
  }

  /** The config this table was built from. */
  public PageTableConfig config() {
    return config;
  }

  /** The table's geometry. */
  public PageTableGeometry geometry() {
    return geometry;
  }

  /** The physical address of the PGD: the value of CD.TTB0 or STE.S2TTB. */
  public long ttbr() {
    return pgd;
  }

  /** The stage-1 translation control values for the CD. */
  public Tcr tcr() {
    requireStage(Stage.STAGE_1, "TCR");
    return Tcr.of(config);
  }

  /** The stage-1 MAIR for the CD (see {@link PteEncoding#MAIR}). */
  public long mair() {
    requireStage(Stage.STAGE_1, "MAIR");
    return PteEncoding.MAIR;
  }

  /** The stage-2 translation control values for the STE. */
  public Vtcr vtcr() {
    requireStage(Stage.STAGE_2, "VTCR");
    return Vtcr.of(config, geometry);
  }

  private void requireStage(Stage stage, String what) {
    if (config.stage() != stage) {
      throw new IllegalStateException(what + " belongs to " + stage + ", this table is " + config);
    }
  }

  /**
   * Maps {@code [iova, iova + size)} to {@code [pa, pa + size)}.
   *
   * <p>If it fails after writing some leaves (allocator exhaustion), it clears them again before
   * throwing; since the SMMU could have cached them meanwhile, the caller invalidates the range
   * before handing it out, as after any unmap.
   *
   * @param size bytes, a positive multiple of the granule
   * @param prot {@link Prot} flags; READ or WRITE must be among them
   * @throws IllegalArgumentException for missing READ/WRITE, unknown flags, a zero or unaligned
   *     size or address, or a range beyond the IAS or OAS
   * @throws AlreadyMappedException if any part of the range is mapped, or a table lies where a
   *     block would go; nothing changed
   * @throws AllocatorExhaustedException if a table page could not be allocated; no leaf remains
   * @throws BusAbort if the table memory could not be accessed
   */
  public void map(long iova, long pa, long size, int prot)
      throws AlreadyMappedException, AllocatorExhaustedException, BusAbort {
    checkLive();
    checkMapRequest(iova, pa, size, prot);
    for (long done = 0; done < size; ) {
      long piece = pieceSize(iova + done, pa + done, size - done);
      checkUnmapped(iova + done, piece);
      done += piece;
    }
    long done = 0;
    try {
      while (done < size) {
        long piece = pieceSize(iova + done, pa + done, size - done);
        installLeaf(iova + done, pa + done, piece, prot);
        done += piece;
      }
    } catch (AlreadyMappedException | AllocatorExhaustedException | BusAbort failure) {
      removeLeaves(iova, pa, done, failure);
      throw failure;
    }
  }

  private void checkMapRequest(long iova, long pa, long size, int prot) {
    if ((prot & (Prot.READ | Prot.WRITE)) == 0 || (prot & ~Prot.ALL) != 0) {
      throw new IllegalArgumentException(
          "map prot must include READ or WRITE and only known flags, got " + Prot.describe(prot));
    }
    checkRange("map", iova, size, config.ias(), "IAS");
    checkRange("map", pa, size, config.oas(), "OAS");
  }

  private void checkRange(String op, long base, long size, int bits, String limit) {
    long unit = granule.size();
    if (size <= 0 || size % unit != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s of 0x%x bytes: size must be a positive multiple of the %s granule",
              op, size, granule));
    }
    if (base % unit != 0) {
      throw new IllegalArgumentException(
          String.format("%s at 0x%x: address not aligned to the %s granule", op, base, granule));
    }
    long last = base + size - 1;
    if (base < 0 || last < base || (last >>> bits) != 0) {
      throw new IllegalArgumentException(
          String.format("%s of [0x%x, +0x%x) exceeds the %d-bit %s", op, base, size, bits, limit));
    }
  }

  /** The largest configured page size that fits {@code remaining} and both alignments. */
  private long pieceSize(long iova, long pa, long remaining) {
    long alignment = iova | pa;
    for (long rest = config.pgsizeBitmap(); rest != 0; ) {
      long size = Long.highestOneBit(rest);
      rest &= ~size;
      if (size <= remaining && (alignment & (size - 1)) == 0) {
        return size;
      }
    }
    throw new IllegalStateException("no page size fits; the request checks let this through");
  }

  private long slot(long table, long iova, int level) {
    return table + 8L * geometry.index(iova, level);
  }

  private void checkUnmapped(long iova, long size) throws AlreadyMappedException, BusAbort {
    int target = geometry.leafLevel(size);
    long table = pgd;
    for (int level = geometry.startLevel(); ; level++) {
      long pte = memory.read64(slot(table, iova, level));
      if (!isValid(pte)) {
        return;
      }
      Kind kind = LpaeDescriptor.kindOf(pte, level, granule);
      if (level == target || kind != Kind.TABLE) {
        throw new AlreadyMappedException(iova, describe(kind, level));
      }
      table = LpaeDescriptor.address(pte, granule);
    }
  }

  private String describe(Kind kind, int level) {
    return String.format(
        "a %s descriptor at level %d (0x%x bytes)",
        kind.name().toLowerCase(), level, granule.levelSize(level));
  }

  private void installLeaf(long iova, long pa, long size, int prot)
      throws AlreadyMappedException, AllocatorExhaustedException, BusAbort {
    int target = geometry.leafLevel(size);
    long table = pgd;
    for (int level = geometry.startLevel(); level < target; level++) {
      long slot = slot(table, iova, level);
      long pte = memory.read64(slot);
      while (!isValid(pte)) {
        long page = allocator.allocate(granule.size());
        long descriptor = PteEncoding.table(granule, page);
        if (memory.compareAndSet64(slot, pte, descriptor)) {
          pte = descriptor;
        } else {
          allocator.free(page);
          pte = memory.read64(slot);
        }
      }
      Kind kind = LpaeDescriptor.kindOf(pte, level, granule);
      if (kind != Kind.TABLE) {
        throw new AlreadyMappedException(iova, describe(kind, level));
      }
      table = LpaeDescriptor.address(pte, granule);
    }
    long slot = slot(table, iova, target);
    long pte = memory.read64(slot);
    if (isValid(pte)) {
      throw new AlreadyMappedException(
          iova, describe(LpaeDescriptor.kindOf(pte, target, granule), target));
    }
    memory.write64(slot, PteEncoding.leaf(config.stage(), granule, target, pa, prot));
  }

  /** Clears the leaves a failed map wrote for its first {@code bytes} bytes. */
  private void removeLeaves(long iova, long pa, long bytes, Exception failure) {
    Gather ignored = new Gather();
    for (long done = 0; done < bytes; ) {
      long piece = pieceSize(iova + done, pa + done, bytes - done);
      try {
        unmapPiece(iova + done, piece, ignored);
      } catch (BusAbort abort) {
        failure.addSuppressed(abort);
      }
      done += piece;
    }
  }

  /**
   * Unmaps from {@code iova} for up to {@code size} bytes, piece by piece with the largest page
   * sizes the alignment of {@code iova} allows, stopping at the first piece that is not mapped or
   * that starts inside a larger block (the kernel's {@code iommu_unmap}).
   *
   * @param size bytes, a positive multiple of the granule
   * @return the bytes unmapped from {@code iova} on and what the caller must invalidate
   * @throws IllegalArgumentException for a zero or unaligned size or address, or a range beyond the
   *     IAS
   * @throws BusAbort if the table memory could not be accessed
   */
  public UnmapResult unmap(long iova, long size) throws BusAbort {
    checkLive();
    checkRange("unmap", iova, size, config.ias(), "IAS");
    Gather gather = new Gather();
    long done = 0;
    while (done < size) {
      long piece = pieceSize(iova + done, iova + done, size - done);
      long cleared = unmapPiece(iova + done, piece, gather);
      if (cleared == 0) {
        break;
      }
      done += cleared;
    }
    return gather.result(iova, done);
  }

  private long unmapPiece(long iova, long size, Gather gather) throws BusAbort {
    int target = geometry.leafLevel(size);
    long table = pgd;
    for (int level = geometry.startLevel(); ; level++) {
      long slot = slot(table, iova, level);
      long pte = memory.read64(slot);
      if (!isValid(pte)) {
        return 0;
      }
      Kind kind = LpaeDescriptor.kindOf(pte, level, granule);
      if (level == target) {
        memory.write64(slot, 0);
        if (kind == Kind.TABLE) {
          gather.tableFreed(freeTableTree(LpaeDescriptor.address(pte, granule), level + 1));
          gather.leaf(granule.size());
        } else {
          gather.leaf(size);
        }
        return size;
      }
      if (kind != Kind.TABLE) {
        return 0;
      }
      table = LpaeDescriptor.address(pte, granule);
    }
  }

  /** Frees the table at {@code table} (at {@code level}) and every table below it; the count. */
  private int freeTableTree(long table, int level) throws BusAbort {
    int freed = 0;
    if (level < 3) {
      long entries = 1L << geometry.bitsAt(level);
      for (long i = 0; i < entries; i++) {
        long pte = memory.read64(table + 8 * i);
        if (LpaeDescriptor.kindOf(pte, level, granule) == Kind.TABLE) {
          freed += freeTableTree(LpaeDescriptor.address(pte, granule), level + 1);
        }
      }
    }
    allocator.free(table);
    return freed + 1;
  }

  /**
   * The leaf that maps {@code iova}, if any (an address beyond the IAS has none).
   *
   * @throws BusAbort if the table memory could not be accessed
   */
  public Optional<MappedLeaf> leafAt(long iova) throws BusAbort {
    checkLive();
    if (iova < 0 || (iova >>> config.ias()) != 0) {
      return Optional.empty();
    }
    long table = pgd;
    for (int level = geometry.startLevel(); ; level++) {
      long pte = memory.read64(slot(table, iova, level));
      Kind kind = LpaeDescriptor.kindOf(pte, level, granule);
      if (kind == Kind.TABLE) {
        table = LpaeDescriptor.address(pte, granule);
        continue;
      }
      if (kind == Kind.BLOCK || kind == Kind.PAGE) {
        long size = granule.levelSize(level);
        return Optional.of(new MappedLeaf(iova & -size, size, level, pte));
      }
      return Optional.empty();
    }
  }

  /**
   * The output address {@code iova} translates to, or 0 when it is not mapped (the kernel's {@code
   * iova_to_phys}).
   *
   * @throws BusAbort if the table memory could not be accessed
   */
  public long iovaToPhys(long iova) throws BusAbort {
    Optional<MappedLeaf> leaf = leafAt(iova);
    if (leaf.isEmpty()) {
      return 0;
    }
    MappedLeaf l = leaf.get();
    return LpaeDescriptor.address(l.descriptor(), granule) + (iova - l.iova());
  }

  /**
   * Visits every valid leaf in input-address order and counts the table pages below the PGD. Meant
   * for tests and tools; concurrent changes may or may not be seen.
   *
   * @throws BusAbort if the table memory could not be accessed
   */
  public WalkSummary walk(Consumer<MappedLeaf> visitor) throws BusAbort {
    checkLive();
    long[] counts = new long[2];
    walkTable(pgd, geometry.startLevel(), 0, visitor, counts);
    return new WalkSummary(counts[0], counts[1]);
  }

  private void walkTable(
      long table, int level, long baseIova, Consumer<MappedLeaf> visitor, long[] counts)
      throws BusAbort {
    long entries = 1L << geometry.bitsAt(level);
    long span = granule.levelSize(level);
    for (long i = 0; i < entries; i++) {
      long pte = memory.read64(table + 8 * i);
      long iova = baseIova + i * span;
      Kind kind = LpaeDescriptor.kindOf(pte, level, granule);
      if (kind == Kind.TABLE) {
        counts[1]++;
        walkTable(LpaeDescriptor.address(pte, granule), level + 1, iova, visitor, counts);
      } else if (kind == Kind.BLOCK || kind == Kind.PAGE) {
        counts[0]++;
        visitor.accept(new MappedLeaf(iova, span, level, pte));
      }
    }
  }

  /**
   * Returns every table page and the PGD to the allocator. The table must not be in use by the SMMU
   * or by another thread; afterwards every method throws {@link IllegalStateException}.
   *
   * @return the number of blocks freed, the PGD included
   * @throws IllegalStateException if the table was already destroyed
   * @throws BusAbort if the table memory could not be read
   */
  public int destroy() throws BusAbort {
    if (!destroyed.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "page table at 0x" + Long.toHexString(pgd) + " destroyed twice");
    }
    return freeTableTree(pgd, geometry.startLevel());
  }

  private void checkLive() {
    if (destroyed.get()) {
      throw new IllegalStateException(
          "page table at 0x" + Long.toHexString(pgd) + " was destroyed");
    }
  }

  private static boolean isValid(long pte) {
    return LpaeDescriptor.VALID.extract(pte) != 0;
  }

  /** Collects one unmap's invalidation needs. */
  private static final class Gather {
    private long leafSizes;
    private int tablePages;

    void leaf(long size) {
      leafSizes |= size;
    }

    void tableFreed(int pages) {
      tablePages += pages;
    }

    UnmapResult result(long iova, long bytes) {
      if (bytes == 0) {
        return UnmapResult.nothing(iova);
      }
      return new UnmapResult(
          bytes,
          iova,
          iova + bytes,
          Long.lowestOneBit(leafSizes),
          leafSizes,
          tablePages > 0,
          tablePages);
    }
  }
}
