package org.smmulab.verify.stress;

import java.util.concurrent.atomic.AtomicLongArray;
import org.smmulab.verify.oracle.LogicalClock;

/**
 * Per DMA-issuing thread (one slot each, the driver thread's probes included): the start stamp of
 * the DMA it has in flight and how many DMAs it had judged. Each slot sits on its own cache lines,
 * written only by its thread, so issuing threads never contend here.
 *
 * <p>The in-flight stamps give {@link #lowWater}, the bound below which the oracle may prune. A
 * thread publishes the clock before taking its DMA's start stamp ({@link #begin}), and the bound
 * reads the clock before the slots, so a DMA whose publication the bound misses takes a start stamp
 * at or above the bound.
 */
final class DmaSlots {
  private static final int STRIDE = 16;
  private static final int COUNT = 8;
  private static final long IDLE = Long.MAX_VALUE;

  private final LogicalClock clock;
  private final int slots;
  private final AtomicLongArray cells;

  DmaSlots(LogicalClock clock, int slots) {
    this.clock = clock;
    this.slots = slots;
    this.cells = new AtomicLongArray(slots * STRIDE);
    for (int i = 0; i < slots; i++) {
      cells.set(i * STRIDE, IDLE);
    }
  }

  /** Marks a DMA in flight in {@code slot} and returns its start stamp. */
  long begin(int slot) {
    cells.set(slot * STRIDE, clock.current());
    return clock.start();
  }

  /** Marks the DMA of {@code slot} judged. */
  void end(int slot) {
    int base = slot * STRIDE;
    cells.setRelease(base, IDLE);
    cells.setRelease(base + COUNT, cells.getPlain(base + COUNT) + 1);
  }

  /** At most the start stamp of every DMA in flight now or started later. */
  long lowWater() {
    long low = clock.current();
    for (int i = 0; i < slots; i++) {
      low = Math.min(low, cells.get(i * STRIDE));
    }
    return low;
  }

  /** DMAs judged so far, over every slot. */
  long judged() {
    long sum = 0;
    for (int i = 0; i < slots; i++) {
      sum += cells.getAcquire(i * STRIDE + COUNT);
    }
    return sum;
  }
}
