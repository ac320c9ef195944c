package org.smmulab.driver.invs;

import org.smmulab.arch.cmd.CommandBatch;

/**
 * Where the {@link InvalidationWalker} sends its commands: the command queue of each SMMU instance
 * an array names. Implementations are thread-safe; many walkers submit at once.
 */
public interface InvalidationQueues {
  /** Whether {@code smmu} implements range invalidation (IDR3.RIL). */
  boolean rangeInvalidation(SmmuId smmu);

  /**
   * Sends {@code commands} to {@code smmu}'s queue, closed by one CMD_SYNC, and returns when that
   * CMD_SYNC has completed. A queue error or timeout is reported by the implementation (the
   * driver's error listeners) rather than thrown: an invalidation cannot be undone, so the walker
   * goes on with the other instances, as Linux does. The batch stays the caller's: read it during
   * the call and keep no reference to it (copy what must outlive the call); the walker reuses it
   * for its next batch as soon as this returns.
   */
  void submit(SmmuId smmu, CommandBatch commands);
}
