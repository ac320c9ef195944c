package org.smmulab.driver.invs;

import org.smmulab.arch.cmd.CommandBatch;
import org.smmulab.driver.tlbi.TlbiRangePlan;

/**
 * One thread's reusable scratch space for {@link InvalidationWalker}: the batch handed to the
 * queues (cleared after each submit) and the range plan shared by every TLBI entry of one walk.
 * Kept per thread so that a walk allocates nothing, the commands included, since they are encoded
 * into the batch's qwords; a walk that starts while the thread's buffers are in use (a queue
 * callback that walks again) gets fresh ones.
 */
final class WalkBuffers {
  private static final ThreadLocal<WalkBuffers> PER_THREAD =
      ThreadLocal.withInitial(WalkBuffers::new);

  /** Log2 of the smallest page size assumed for an entry without one (per-page commands). */
  private static final int DEFAULT_TG = 12;

  final CommandBatch batch = new CommandBatch();
  private final TlbiRangePlan plan = new TlbiRangePlan();
  private boolean inUse;

  private long iova;
  private long size;
  private long granule;
  private boolean leaf;
  private boolean planned;
  private boolean plannedRanges;
  private int plannedTg;
  private boolean plannedOk;

  /** This thread's buffers, or fresh ones if they are in use; {@link #release()} when done. */
  static WalkBuffers acquire(long iova, long size, long granule, boolean leaf) {
    WalkBuffers buffers = PER_THREAD.get();
    if (buffers.inUse) {
      buffers = new WalkBuffers();
    }
    buffers.inUse = true;
    buffers.iova = iova;
    buffers.size = size;
    buffers.granule = granule;
    buffers.leaf = leaf;
    buffers.planned = false;
    return buffers;
  }

  /** Empties the batch and makes the buffers available again. */
  void release() {
    batch.clear();
    inUse = false;
  }

  /**
   * The plan of this walk's range for TLBI entries of page size {@code 2^pgsizeShift} (0: per-page
   * commands at 4 KiB) on an instance with or without range invalidation, or null when the range
   * cannot be expressed that way and the whole tag must be invalidated instead. Worked out once per
   * walk and reused while the instance kind and page size stay the same.
   */
  TlbiRangePlan rangePlan(boolean ranges, int pgsizeShift) {
    int tg = pgsizeShift != 0 ? pgsizeShift : DEFAULT_TG;
    if (!planned || ranges != plannedRanges || tg != plannedTg) {
      planned = true;
      plannedRanges = ranges;
      plannedTg = tg;
      plannedOk = planAligned(ranges, tg);
    }
    return plannedOk ? plan : null;
  }

  /**
   * Widens the range to the alignment its commands need (the leaf size for a leaf invalidation,
   * else the page size) and plans it.
   */
  private boolean planAligned(boolean ranges, int tg) {
    if (tg != 12 && tg != 14 && tg != 16) {
      return false;
    }
    long alignment = leaf ? Math.max(granule, 1L << tg) : 1L << tg;
    long start = iova & -alignment;
    long end = (iova + size + alignment - 1) & -alignment;
    return plan.plan(ranges, start, end - start, granule, tg, leaf);
  }
}
