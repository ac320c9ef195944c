package org.smmulab.hw.smmu;

import java.util.List;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCacheSet;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.walk.TableWalker;
import org.smmulab.hw.smmu.walk.WalkResult;

/**
 * Speculative TLB fill: the architecture lets the TLB hold any translation the current tables
 * allow, used or not, so that software can never rely on "not used yet means not cached". This
 * class walks addresses nobody asked for and caches what it finds, so that a driver which changes a
 * live mapping without invalidating it is caught even when the device never touched the page.
 *
 * <p>Which addresses, for a translation whose leaf entry {@code E} (2^s bytes, in a last-level
 * table of 2^stride entries) was just walked or hit:
 *
 * <ul>
 *   <li>after every walk, the range right after {@code E} (streaming DMA touches it next), and one
 *       seeded choice of the two below;
 *   <li>after about one TLB hit in {@code period}, one seeded choice of: any entry of the table
 *       holding {@code E}, or any page of a sibling range of that table in the table above (one
 *       level up: the neighbouring block or table).
 * </ul>
 *
 * <p>Each choice is a hash of the seed, the StreamID, the input address and the caches' generation,
 * so a single-threaded run is reproducible and the choice changes whenever the caches were
 * invalidated; no state is shared between translating threads. A candidate already in the TLB is
 * not walked again. Faults of speculative walks are ignored and nothing is recorded, as for any
 * prefetch.
 *
 * <p>Invalidations are never lost to speculation: a speculative walk uses the generation the
 * translation read before it resolved its configuration, and {@link
 * TranslationCacheSet#insertSpeculatively} drops the entry if any invalidation (or CFGI) completed
 * since, exactly as for the walk's own entry.
 *
 * <p>Thread-safe and stateless beyond its constructor arguments.
 */
final class SpeculativeFill {
  private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

  private final TableWalker walker;
  private final TranslationCacheSet caches;
  private final long seed;
  private final int hitPeriod;

  /**
   * @param seed the instance's seed
   * @param hitPeriod about one TLB hit in this many fills (at least 1)
   */
  SpeculativeFill(TableWalker walker, TranslationCacheSet caches, long seed, int hitPeriod) {
    if (hitPeriod < 1) {
      throw new IllegalArgumentException("speculation period must be at least 1: " + hitPeriod);
    }
    this.walker = walker;
    this.caches = caches;
    this.seed = seed;
    this.hitPeriod = hitPeriod;
  }

  /** After a walk of {@code txn} that found {@code found}. */
  void afterWalk(ResolvedStream stream, Transaction txn, TlbEntry found, long generation) {
    long next = found.inputBase() + (1L << found.sizeShift());
    if (next != 0) {
      fill(stream, txn, next, generation);
    }
    fill(stream, txn, nearby(found, choice(txn, generation)), generation);
  }

  /** After a TLB hit of {@code txn} on {@code hit}. */
  void afterHit(ResolvedStream stream, Transaction txn, TlbEntry hit, long generation) {
    long h = choice(txn, generation);
    if (Long.remainderUnsigned(h, hitPeriod) == 0) {
      fill(stream, txn, nearby(hit, Long.rotateLeft(h, 29)), generation);
    }
  }

  /**
   * An address near {@code entry}: with {@code h}'s low bit clear, entry {@code i} of the table
   * holding {@code entry}; with it set, page {@code k} of range {@code j} of the table above.
   */
  private static long nearby(TlbEntry entry, long h) {
    int leafShift = entry.sizeShift();
    int stride = entry.granule().stride();
    int tableShift = Math.min(63, leafShift + stride);
    int index = (int) (h >>> 1) & ((1 << stride) - 1);
    if ((h & 1) == 0) {
      return (entry.inputBase() & (-1L << tableShift)) | ((long) index << leafShift);
    }
    int parentShift = Math.min(63, tableShift + stride);
    int range = (int) (h >>> 20) & ((1 << stride) - 1);
    long inRange = ((long) index << leafShift) & ((1L << tableShift) - 1);
    return (entry.inputBase() & (-1L << parentShift))
        | (((long) range << tableShift) & ((1L << parentShift) - 1))
        | inRange;
  }

  private long choice(Transaction txn, long generation) {
    long z = seed + txn.address() * GOLDEN + generation * 0xC2B2_AE3D_27D4_EB4FL + txn.streamId();
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  private void fill(ResolvedStream stream, Transaction txn, long address, long generation) {
    if (caches.holds(stream.world(), stream.kind(), stream.vmid(), stream.asid(), address)) {
      return;
    }
    Transaction probe =
        new Transaction(
            txn.streamId(),
            txn.substreamValid(),
            txn.substreamId(),
            address,
            false,
            txn.privileged(),
            false);
    WalkResult found = walker.prefetch(stream, probe, generation);
    if (found != null) {
      caches.insertSpeculatively(List.of(found.entry()), generation);
    }
  }
}
