package org.smmulab.verify.oracle;

/**
 * The life of a mapping or an attachment, in clock stamps: created by a call that started at {@code
 * createStart} and returned at {@code createEnd}; removed by a call that started at {@code
 * removeStart} and returned at {@code removeEnd}. Stamps not yet taken are {@link Long#MAX_VALUE}.
 * Written by the driver thread under the clock's publication lock, read by DMA threads.
 */
abstract class Interval {
  volatile long createStart;
  volatile long createEnd = Long.MAX_VALUE;
  volatile long removeStart = Long.MAX_VALUE;
  volatile long removeEnd = Long.MAX_VALUE;

  Interval(long createStart) {
    this.createStart = createStart;
  }

  /** Whether it may have been used by something that ran during [t0, t1]. */
  boolean mayOverlap(long t0, long t1) {
    return createStart <= t1 && removeEnd >= t0;
  }

  /** Whether it had to work throughout [t0, t1]. */
  boolean mustCover(long t0, long t1) {
    return createEnd <= t0 && removeStart >= t1;
  }
}
