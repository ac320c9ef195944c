package org.smmulab.driver.queue;

import java.util.concurrent.locks.LockSupport;

/**
 * How a producer waits between two polls of the SMMU (the role of Linux's {@code queue_poll}):
 * first a short busy spin, for completions that come at once; then yields; then sleeps that double
 * from {@value #FIRST_PARK_NANOS} ns up to {@value #MAX_PARK_NANOS} ns. So a wait that lasts leaves
 * the processor to the threads that must make progress for it to end (the instance's command
 * consumer above all) instead of competing with them for a core.
 *
 * <p>One instance per wait, used by one thread. {@link #pause()} returns whether the wait has left
 * the spinning phase; callers use it to do their more expensive checks (error registers) only then.
 */
final class PollBackoff {
  static final int SPINS = 128;
  static final int YIELDS = 32;
  static final long FIRST_PARK_NANOS = 1_000;
  static final long MAX_PARK_NANOS = 100_000;

  private int polls;
  private long parkNanos = FIRST_PARK_NANOS;

  /**
   * Waits once, longer the more often it was called.
   *
   * @return whether this wait was a yield or a sleep rather than a busy spin
   */
  boolean pause() {
    int n = polls++;
    if (n < SPINS) {
      Thread.onSpinWait();
      return false;
    }
    if (n < SPINS + YIELDS) {
      Thread.yield();
      return true;
    }
    LockSupport.parkNanos(parkNanos);
    parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
    return true;
  }

  /** How many times {@link #pause()} was called. */
  int polls() {
    return polls;
  }
}
