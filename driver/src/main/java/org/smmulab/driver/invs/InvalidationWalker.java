package org.smmulab.driver.invs;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.smmulab.arch.cmd.Command;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.tlbi.AtcInvalidation;
import org.smmulab.driver.tlbi.TlbiBase;
import org.smmulab.driver.tlbi.TlbiRangeBuilder;

/**
 * Turns a domain's invalidation array into commands (Linux {@code arm_smmu_domain_inv_range}):
 * after a page-table change, every SMMU instance and every ATS endpoint the domain is attached
 * through learns of it, and the call returns only when each instance has completed its CMD_SYNC.
 *
 * <p>The walk, in order:
 *
 * <ol>
 *   <li>a full fence, so that the caller's page-table writes are ordered before the array load; it
 *       pairs with the STE/CD writer, which publishes a new array before it stores the entry that
 *       makes the hardware use it. Either this walk sees the new array and invalidates for the new
 *       attachment, or the hardware reads the entry, and so the tables, only after the change;
 *   <li>an acquire load of the domain's current array, and the read side of its ATS fence if it
 *       holds ATS entries (kept until the last batch completed, see {@link InvalidationArray});
 *   <li>for each live entry (users read with an opaque load, trash skipped): the commands of its
 *       type — stage-1 and stage-2 TLBIs by range, or the tag's whole-context command when the
 *       range is too big ({@link TlbiRangeBuilder#sizeTooBig}); the nesting parent's TLBI_NH_ALL
 *       unless the whole-VMID command already covered it; ATC_INV by range per SubstreamID, or for
 *       the whole ATC;
 *   <li>a batch per instance, submitted with its CMD_SYNC when the next live entry belongs to
 *       another instance, is the stage-1 clear after stage-2 entries, or is the first ATS entry
 *       after TLB entries (the IOTLB must be clean before the devices may refill their ATCs).
 * </ol>
 *
 * <p>The walker takes no lock besides the ATS fence and may run on any thread, concurrently with
 * attach, detach and other walks. A walker still holding an array that was replaced meanwhile may
 * send commands for tags that have just been freed: harmless over-invalidation.
 */
public final class InvalidationWalker {
  /** Page shift used to build per-granule commands for entries without a range page size. */
  private static final int DEFAULT_TG = 12;

  private static final TlbiRangeBuilder RANGES = new TlbiRangeBuilder(true);
  private static final TlbiRangeBuilder PER_GRANULE = new TlbiRangeBuilder(false);

  private final InvalidationQueues queues;
  private final boolean skipTlbi;
  private final boolean skipAtcInv;

  /**
   * @param queues the command queues of the instances the arrays name
   */
  public InvalidationWalker(InvalidationQueues queues) {
    this(queues, Set.of());
  }

  /**
   * @param queues the command queues of the instances the arrays name
   * @param injections injected bugs: {@link Injection#SKIP_TLBI} drops the IOTLB commands, {@link
   *     Injection#SKIP_ATC_INV} the ATC ones
   */
  public InvalidationWalker(InvalidationQueues queues, Set<Injection> injections) {
    this.queues = Objects.requireNonNull(queues, "queues");
    this.skipTlbi = injections.contains(Injection.SKIP_TLBI);
    this.skipAtcInv = injections.contains(Injection.SKIP_ATC_INV);
  }

  /**
   * Invalidates every cached translation of {@code [iova, iova + size)} for the domain whose array
   * {@code domainInvs} holds. {@code size} 0 (or all ones) means the whole address space.
   *
   * @param granule bytes of the changed leaf entries (a power of two of at least 4 KiB), or any
   *     value when {@code size} is 0
   * @param leaf whether only leaf entries changed (walk caches may keep table entries)
   */
  public void invalidateRange(
      AtomicReference<InvalidationArray> domainInvs,
      long iova,
      long size,
      long granule,
      boolean leaf) {
    VarHandle.fullFence();
    InvalidationArray invs = domainInvs.getAcquire();
    try (InvalidationArray.AtsFenceHold hold = invs.readLockIfAts()) {
      walk(invs, iova, size, granule, leaf);
    }
  }

  /** Invalidates everything the domain may have cached, on every instance and ATC it reaches. */
  public void invalidateAll(AtomicReference<InvalidationArray> domainInvs) {
    invalidateRange(domainInvs, 0, 0, 0, false);
  }

  private void walk(InvalidationArray invs, long iova, long size, long granule, boolean leaf) {
    boolean everything = size == 0 || size == -1L;
    LiveEntryIterator live = invs.liveEntries();
    List<Command> batch = new ArrayList<>();
    while (live.hasNext()) {
      Invalidation cur = live.next();
      boolean ranges = queues.rangeInvalidation(cur.smmu());
      boolean tooBig =
          everything || TlbiRangeBuilder.sizeTooBig(ranges, size, Math.max(granule, 4096));
      boolean injectedSkip = cur.type().isAts() ? skipAtcInv : skipTlbi;
      if (!injectedSkip) {
        addCommands(cur, ranges, tooBig, iova, size, granule, leaf, batch);
      }
      Invalidation next = live.hasNext() ? live.peek() : null;
      if (!batch.isEmpty() && (next == null || endsBatch(cur, next))) {
        queues.submit(cur.smmu(), batch);
        batch = new ArrayList<>();
      }
    }
  }

  private static void addCommands(
      Invalidation inv,
      boolean ranges,
      boolean tooBig,
      long iova,
      long size,
      long granule,
      boolean leaf,
      List<Command> batch) {
    switch (inv.type()) {
      case S1_ASID -> {
        if (tooBig) {
          batch.add(wholeTag(inv));
        } else {
          batch.addAll(
              rangeCommands(
                  new TlbiBase(inv.sizeOpcode(), 0, inv.id()),
                  inv,
                  ranges,
                  iova,
                  size,
                  granule,
                  leaf));
        }
      }
      case S2_VMID, S2_VMID_VSMMU -> {
        if (tooBig) {
          batch.add(wholeTag(inv));
        } else {
          batch.addAll(
              rangeCommands(
                  new TlbiBase(inv.sizeOpcode(), inv.id(), 0),
                  inv,
                  ranges,
                  iova,
                  size,
                  granule,
                  leaf));
        }
      }
      case S2_VMID_S1_CLEAR -> {
        if (!tooBig) {
          batch.add(Command.tlbiNhAll(inv.id()));
        }
      }
      case ATS -> batch.add(AtcInvalidation.command(inv.id(), inv.ssid(), iova, size));
      case ATS_FULL -> batch.add(AtcInvalidation.all(inv.id()));
    }
  }

  /** The tag's whole-context command: TLBI_NH_ASID / TLBI_EL2_ASID or TLBI_S12_VMALL. */
  static Command wholeTag(Invalidation inv) {
    return switch (inv.nsizeOpcode()) {
      case TLBI_NH_ASID -> Command.tlbiNhAsid(0, inv.id());
      case TLBI_EL2_ASID -> Command.tlbiEl2Asid(inv.id());
      case TLBI_S12_VMALL -> Command.tlbiS12Vmall(inv.id());
      case TLBI_NH_ALL -> Command.tlbiNhAll(inv.id());
      default -> throw new IllegalStateException(inv + " has no whole-tag command");
    };
  }

  /**
   * The address commands for one TLBI entry. The range is widened to the alignment the commands
   * need (the leaf size for a leaf invalidation, else the page size); a range so large that its
   * commands would need SCALE above 31 uses the whole-tag command instead.
   */
  private static List<Command> rangeCommands(
      TlbiBase base,
      Invalidation inv,
      boolean ranges,
      long iova,
      long size,
      long granule,
      boolean leaf) {
    int tg = inv.pgsizeShift() != 0 ? inv.pgsizeShift() : DEFAULT_TG;
    long alignment = leaf ? Math.max(granule, 1L << tg) : 1L << tg;
    long start = iova & -alignment;
    long end = (iova + size + alignment - 1) & -alignment;
    long pages = (end - start) >>> tg;
    if (end == 0 || (ranges && 63 - Long.numberOfLeadingZeros(pages) > 31)) {
      return List.of(wholeTag(inv));
    }
    return (ranges ? RANGES : PER_GRANULE).commands(base, start, end - start, granule, tg, leaf);
  }

  /**
   * Whether the batch must be submitted before {@code next}'s commands (Linux {@code
   * arm_smmu_invs_end_batch}).
   */
  static boolean endsBatch(Invalidation cur, Invalidation next) {
    if (!cur.smmu().equals(next.smmu())) {
      return true;
    }
    if (next.type() == InvalidationType.S2_VMID_S1_CLEAR
        && cur.type() != InvalidationType.S2_VMID_S1_CLEAR) {
      return true;
    }
    return next.type().isAts() && !cur.type().isAts();
  }
}
