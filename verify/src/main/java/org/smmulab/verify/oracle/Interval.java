package org.smmulab.verify.oracle;

/**
 * The life of a mapping or an attachment, in clock stamps: created by a call that started at {@code
 * createStart} and returned at {@code createEnd}; removed by a call that started at {@code
 * removeStart} and returned at {@code removeEnd}. Stamps not yet taken are {@link Long#MAX_VALUE}.
 * Written by the driver thread under the clock's publication lock, read by DMA threads.
 *
 * <p>A DMA stamped [t0, t1] occupies [t0 + ½, t1 + ½] (see {@link LogicalClock}), so the
 * comparisons below are strict where a half point meets a driver stamp.
 */
abstract class Interval {
  volatile long createStart;
  volatile long createEnd = Long.MAX_VALUE;
  volatile long removeStart = Long.MAX_VALUE;
  volatile long removeEnd = Long.MAX_VALUE;

  Interval(long createStart) {
    this.createStart = createStart;
  }

  /**
   * Whether it may have been used by a DMA stamped [t0, t1]: the may-use window [createStart,
   * removeEnd] meets [t0 + ½, t1 + ½].
   */
  final boolean mayOverlap(long t0, long t1) {
    return createStart <= t1 && removeEnd > t0;
  }

  /**
   * Whether it had to work throughout a DMA stamped [t0, t1]: the must-work window [createEnd,
   * removeStart] contains [t0 + ½, t1 + ½].
   */
  final boolean mustCover(long t0, long t1) {
    return createEnd <= t0 && removeStart > t1;
  }
}
