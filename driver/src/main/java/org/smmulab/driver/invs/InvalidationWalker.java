package org.smmulab.driver.invs;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.driver.inject.Injection;
import org.smmulab.driver.tlbi.AtcInvalidation;
import org.smmulab.driver.tlbi.TagInvalidation;
import org.smmulab.driver.tlbi.TlbiRangeBuilder;
import org.smmulab.driver.tlbi.TlbiRangePlan;

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
 *   <li>an acquire load of the domain's current array; if it holds ATS entries, entering the ATS
 *       fence, loading the current array again and walking that one, until the last batch has
 *       completed (see {@link AtsFence} for why the second load is needed);
 *   <li>for each live entry (users read with an opaque load, trash skipped): the commands of its
 *       type — stage-1 and stage-2 TLBIs by range, or the tag's whole-context command when the
 *       range is too big ({@link TlbiRangeBuilder#sizeTooBig}) or cannot be expressed by range
 *       commands; the nesting parent's TLBI_NH_ALL unless the whole-VMID command already covered
 *       it; ATC_INV by range per SubstreamID, or for the whole ATC;
 *   <li>a batch per instance, submitted with its CMD_SYNC when the next live entry belongs to
 *       another instance, is the stage-1 clear after stage-2 entries, or is the first ATS entry
 *       after TLB entries (the IOTLB must be clean before the devices may refill their ATCs).
 * </ol>
 *
 * <p>A walk never throws for its inputs once the page table has changed: a granule that is not a
 * power of two of at least 4 KiB, a range whose commands would need a reserved TTL or a SCALE above
 * 31, an IPA beyond 52 bits, or a range passing the end of the address space all fall back to the
 * whole-tag command (and the whole ATC of the substream), which over-invalidates but is always
 * correct.
 *
 * <p>The walker takes no lock and may run on any thread, concurrently with attach, detach and other
 * walks. A walker still holding an array that was replaced meanwhile may send IOTLB commands for
 * tags that have just been freed: harmless over-invalidation. It allocates nothing: commands are
 * encoded into a per-thread {@link CommandBatch}, the range plan is a per-thread buffer too, and a
 * range is planned once per walk for all tags of the same page size.
 */
public final class InvalidationWalker {
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
   * @param domainInvs the domain's published array (every version shares one ATS fence)
   * @param granule bytes of the changed leaf entries (a power of two of at least 4 KiB; anything
   *     else invalidates the whole tags), or any value when {@code size} is 0
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
    if (!invs.hasAts()) {
      walk(invs, iova, size, granule, leaf);
      return;
    }
    AtsFence fence = invs.atsFence();
    int token = fence.enter();
    try {
      InvalidationArray current = domainInvs.getAcquire();
      assert current.atsFence() == fence : "a domain's arrays must share one ATS fence";
      walk(current, iova, size, granule, leaf);
    } finally {
      fence.exit(token);
    }
  }

  /** Invalidates everything the domain may have cached, on every instance and ATC it reaches. */
  public void invalidateAll(AtomicReference<InvalidationArray> domainInvs) {
    invalidateRange(domainInvs, 0, 0, 0, false);
  }

  private void walk(InvalidationArray invs, long iova, long size, long granule, boolean leaf) {
    Invalidation[] entries = invs.slotArray();
    int end = invs.numInvs();
    int i = nextLive(entries, 0, end);
    if (i == end) {
      return;
    }
    boolean everything = size == 0 || size == -1L;
    boolean granuleOk = Long.bitCount(granule) == 1 && Long.compareUnsigned(granule, 4096) >= 0;
    boolean atcRange = !everything && AtcInvalidation.fitsAddressSpace(iova, size);
    long atcAddress = AtcInvalidation.addressQword(atcRange ? iova : 0, atcRange ? size : 0);
    WalkBuffers buffers = WalkBuffers.acquire(iova, size, granule, leaf);
    try {
      CommandBatch batch = buffers.batch;
      SmmuId runSmmu = null;
      boolean ranges = false;
      boolean tooBig = true;
      while (i < end) {
        Invalidation cur = entries[i];
        if (runSmmu == null || cur.smmu().index() != runSmmu.index()) {
          runSmmu = cur.smmu();
          ranges = queues.rangeInvalidation(runSmmu);
          tooBig = everything || !granuleOk || TlbiRangeBuilder.sizeTooBig(ranges, size, granule);
        }
        if (!(cur.type().isAts() ? skipAtcInv : skipTlbi)) {
          addCommands(cur, buffers, ranges, tooBig, atcAddress, batch);
        }
        int next = nextLive(entries, i + 1, end);
        if (!batch.isEmpty() && (next == end || endsBatch(cur, entries[next]))) {
          queues.submit(cur.smmu(), batch);
          batch.clear();
        }
        i = next;
      }
    } finally {
      buffers.release();
    }
  }

  /** The first slot at or after {@code from} whose users (opaque load) is not 0, or {@code end}. */
  private static int nextLive(Invalidation[] entries, int from, int end) {
    int i = from;
    while (i < end && entries[i].users() == 0) {
      i++;
    }
    return i;
  }

  private static void addCommands(
      Invalidation inv,
      WalkBuffers buffers,
      boolean ranges,
      boolean tooBig,
      long atcAddress,
      CommandBatch batch) {
    switch (inv.type()) {
      case S1_ASID -> addTlbi(inv, 0, inv.id(), buffers, ranges, tooBig, batch);
      case S2_VMID, S2_VMID_VSMMU -> addTlbi(inv, inv.id(), 0, buffers, ranges, tooBig, batch);
      case S2_VMID_S1_CLEAR -> {
        if (!tooBig) {
          TagInvalidation.appendTo(batch, Opcode.TLBI_NH_ALL, inv.id());
        }
      }
      case ATS -> AtcInvalidation.appendWithAddress(batch, inv.id(), inv.ssid(), atcAddress);
      case ATS_FULL -> AtcInvalidation.appendTo(batch, inv.id(), 0, 0, 0);
    }
  }

  /**
   * The address commands of one TLBI entry, or its whole-tag command when the range is too big or
   * cannot be expressed by range commands.
   */
  private static void addTlbi(
      Invalidation inv,
      int vmid,
      int asid,
      WalkBuffers buffers,
      boolean ranges,
      boolean tooBig,
      CommandBatch batch) {
    if (!tooBig) {
      TlbiRangePlan plan = buffers.rangePlan(ranges, inv.pgsizeShift());
      if (plan != null && plan.appendTo(inv.sizeOpcode(), vmid, asid, batch)) {
        return;
      }
    }
    TagInvalidation.appendTo(batch, inv.nsizeOpcode(), inv.id());
  }

  /**
   * Whether the batch must be submitted before {@code next}'s commands (Linux {@code
   * arm_smmu_invs_end_batch}).
   */
  static boolean endsBatch(Invalidation cur, Invalidation next) {
    if (cur.smmu().index() != next.smmu().index()) {
      return true;
    }
    if (next.type() == InvalidationType.S2_VMID_S1_CLEAR
        && cur.type() != InvalidationType.S2_VMID_S1_CLEAR) {
      return true;
    }
    return next.type().isAts() && !cur.type().isAts();
  }
}
