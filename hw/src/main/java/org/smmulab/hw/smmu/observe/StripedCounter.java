package org.smmulab.hw.smmu.observe;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter for the translation path, where several threads count the same event at once: each
 * thread adds to one of {@value #STRIPES} cells chosen by its id, each cell on its own cache lines,
 * so threads on different processors do not pass a cache line back and forth. ({@link
 * java.util.concurrent.atomic.LongAdder} keeps one shared cell until two updates collide, and
 * updates that bounce the line without colliding never spread it.)
 *
 * <p>Thread-safe; {@link #sum()} is a moment's total while counting goes on.
 */
public final class StripedCounter {
  private static final int STRIPES = 16;
  private static final int PAD = 16;

  private final AtomicLongArray cells = new AtomicLongArray(STRIPES * PAD);

  /** Adds one. */
  public void increment() {
    cells.getAndIncrement(cell());
  }

  /** Adds {@code n}. */
  public void add(long n) {
    cells.getAndAdd(cell(), n);
  }

  private static int cell() {
    return ((int) Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
  }

  /** The total. */
  public long sum() {
    long sum = 0;
    for (int i = 0; i < STRIPES; i++) {
      sum += cells.get(i * PAD);
    }
    return sum;
  }
}
