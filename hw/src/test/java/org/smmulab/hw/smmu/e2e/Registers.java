package org.smmulab.hw.smmu.e2e;

import java.util.concurrent.TimeUnit;
import org.smmulab.arch.bus.RegisterBus;

/** Register polling as software does it, bounded so that a test fails instead of hanging. */
final class Registers {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private Registers() {}

  /** Polls the 32-bit register at {@code offset} until it equals {@code expected}. */
  static void awaitEqual(RegisterBus regs, long offset, int expected) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    int value;
    while ((value = regs.read32(offset)) != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            String.format(
                "register 0x%x is 0x%x, expected 0x%x after 5 s", offset, value, expected));
      }
      Thread.onSpinWait();
    }
  }
}
