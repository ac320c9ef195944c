package org.smmulab.driver.tlbi;

import java.util.List;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.CommandBatch;

/**
 * Builds the TLBI commands that invalidate {@code [iova, iova + size)} for one tag on one SMMU, the
 * way the Linux driver does it.
 *
 * <p>Without range invalidation (IDR3.RIL = 0) it emits one single-address command (TG = 0, no
 * level hint) per {@code granule} step. With it, the size is counted in pages of the domain's
 * smallest page size {@code 2^tg} and split into chunks: each command takes the lowest set bit of
 * the remaining page count as SCALE and the next five bits as the block count, so a count needs at
 * most one command per five-bit group and the commands run in ascending address order. Leaf
 * invalidations carry the level of {@code granule} as TTL; non-leaf ones have TTL 0, and since TG
 * != 0 with NUM = SCALE = TTL = 0 is a reserved encoding, a page count whose low five bits are 1 is
 * grown by one page, so such commands cover one page more than asked.
 *
 * <p>A size of 0 or all ones means "everything" and is not a range: callers ask {@link #sizeTooBig}
 * first and issue the tag's whole-context command instead; that check is also what bounds the
 * number of per-granule commands. Instances are immutable and thread-safe. Code that invalidates
 * one range for many tags, or must not throw, uses a {@link TlbiRangePlan} directly.
 */
public final class TlbiRangeBuilder {
  private final boolean rangeSupported;

  /**
   * A builder for an SMMU with or without range invalidation.
   *
   * @param rangeSupported whether the SMMU implements range invalidation (IDR3.RIL)
   */
  public TlbiRangeBuilder(boolean rangeSupported) {
    this.rangeSupported = rangeSupported;
  }

  /** Whether this builder emits range commands. */
  public boolean rangeSupported() {
    return rangeSupported;
  }

  /** {@link #sizeTooBig(boolean, long, long)} for this builder's SMMU. */
  public boolean sizeTooBig(long size, long granule) {
    return sizeTooBig(rangeSupported, size, granule);
  }

  /**
   * Whether invalidating {@code size} bytes of {@code granule}-sized entries should rather use the
   * whole-tag command (TLBI_NH_ASID, TLBI_S12_VMALL, ...). Size 0 and all ones (both unsigned) mean
   * "everything" and are always too big. An SMMU with range invalidation handles any other size.
   * Without it the limit keeps the per-granule command count at {@code granule / 8}: 2 MiB of 4 KiB
   * pages (512 commands), 32 MiB of 16 KiB pages, 512 MiB of 64 KiB pages.
   *
   * @param size bytes, unsigned
   * @param granule the size of the changed entries in bytes, a power of two of at least 4 KiB
   * @throws IllegalArgumentException if {@code granule} is not such a power of two
   */
  public static boolean sizeTooBig(boolean rangeSupported, long size, long granule) {
    checkGranule(granule);
    if (size == 0 || size == -1L) {
      return true;
    }
    if (rangeSupported) {
      return false;
    }
    int granuleShift = Long.numberOfTrailingZeros(granule);
    int limitShift = 2 * granuleShift - 3;
    return limitShift < Long.SIZE && Long.compareUnsigned(size, 1L << limitShift) >= 0;
  }

  /**
   * The commands invalidating {@code [iova, iova + size)}, in ascending address order.
   *
   * @param base the opcode and tag every command carries
   * @param iova the first address, a multiple of {@code 2^tg} (and of {@code granule} when {@code
   *     leaf}, as TTL requires)
   * @param size bytes, a non-zero multiple of {@code 2^tg} (and of {@code granule} when {@code
   *     leaf}); {@code iova + size} must not pass 2^64
   * @param granule the size of the changed entries in bytes; when {@code leaf} it must be the entry
   *     size of level 1, 2 or 3 of the {@code 2^tg} granule, and not a level whose TTL encoding is
   *     reserved (level 1 of 16 KiB)
   * @param tg log2 of the domain's smallest page size: 12, 14 or 16
   * @param leaf only leaf entries changed, so walk caches may keep table entries
   * @throws IllegalArgumentException naming the offending argument if any rule above is broken, or
   *     if a range would need a SCALE above 31 (the caller must invalidate the whole tag instead)
   */
  public List<Command> commands(
      TlbiBase base, long iova, long size, long granule, int tg, boolean leaf) {
    TlbiRangePlan plan = new TlbiRangePlan();
    if (!plan.plan(rangeSupported, iova, size, granule, tg, leaf)) {
      throw new IllegalArgumentException(plan.failure());
    }
    CommandBatch out = new CommandBatch(plan.size());
    if (!plan.appendTo(base.opcode(), base.vmid(), base.asid(), out)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: range 0x%x+0x%x does not fit the command's address field",
              base.opcode(), iova, size));
    }
    return out.toList();
  }

  private static void checkGranule(long granule) {
    if (!TlbiRangePlan.isGranule(granule)) {
      throw new IllegalArgumentException(
          String.format("granule 0x%x is not a power of two of at least 4 KiB", granule));
    }
  }
}
